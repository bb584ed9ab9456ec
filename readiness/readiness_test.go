package readiness_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/readiness"
)

type probes struct {
	role     string
	roleErr  error
	writeErr error
	writer   bool
}

func (p probes) CacheRole(context.Context) (string, error)     { return p.role, p.roleErr }
func (p probes) CacheWrite(context.Context) error              { return p.writeErr }
func (p probes) WriterReachable(context.Context) (bool, error) { return p.writer, nil }

// The readiness contract (docs/app-contract.md): 200 with a body that starts with
// SearchString only while the cache member is the primary, takes a write, and the writer answers.
func TestReadinessAnswersOnlyWhileTheRegionHoldsTheRoles(t *testing.T) {
	const region = "ap-northeast-3"
	for _, tc := range []struct {
		name   string
		p      probes
		status int
		reason string
	}{
		{"primary cache, writer reachable", probes{role: "master", writer: true}, 200, ""},
		{"secondary cache (recovered old primary)", probes{role: "slave", writer: true}, 503, "secondary"},
		{"cache write refused", probes{role: "master", writeErr: errors.New("READONLY"), writer: true}, 503, "cache write refused"},
		{"cache unreachable", probes{roleErr: errors.New("dial timeout"), writer: true}, 503, "cache role unknown"},
		{"writer unreachable", probes{role: "master"}, 503, "Aurora writer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			readiness.Handler(region, tc.p).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz/primary", nil))
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			require.Equal(t, tc.status, res.StatusCode, string(body))
			assert.Equal(t, tc.status == 200, strings.HasPrefix(string(body), readiness.SearchString(region)),
				"the Route 53 string match passes exactly when ready: %s", body)
			assert.Contains(t, string(body), tc.reason)
			assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
		})
	}
}
