package capture_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agm-dr/agm-dr/capture"
)

type thing struct{ pulumi.CustomResourceState }

func program(size int, protect bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		var t thing
		err := ctx.RegisterResource("test:index:Thing", "a", pulumi.Map{"size": pulumi.Int(size)}, &t,
			pulumi.Protect(protect), pulumi.IgnoreChanges([]string{"size"}))
		if err != nil {
			return err
		}
		ctx.Export("id", t.ID())
		return nil
	}
}

func TestRunCapturesInputsOptionsAndOutputs(t *testing.T) {
	res, err := capture.Run(program(3, true), capture.Options{Project: "p", Stack: "s"})
	require.NoError(t, err)
	r, ok := res.Get("test:index:Thing", "a")
	require.True(t, ok)
	assert.Equal(t, 3.0, r.Inputs["size"].NumberValue())
	assert.True(t, r.Protect)
	assert.Equal(t, []string{"size"}, r.IgnoreChanges)
	assert.Equal(t, "a-id", res.Outputs["id"])
}

func TestDiffListsChangedInputs(t *testing.T) {
	a, err := capture.Run(program(3, false), capture.Options{Project: "p", Stack: "s"})
	require.NoError(t, err)
	b, err := capture.Run(program(5, false), capture.Options{Project: "p", Stack: "s"})
	require.NoError(t, err)
	changes := capture.Diff(a, b)
	require.Len(t, changes, 1)
	assert.Equal(t, "~ test:index:Thing a: size: 3 => 5", changes[0].String())
	assert.Empty(t, capture.Diff(a, a))
}

func TestProjectConfigOverlaysStackFile(t *testing.T) {
	cfg, err := capture.ProjectConfig("..", "osaka")
	require.NoError(t, err)
	assert.Equal(t, "ap-northeast-3", cfg["aws:region"])
	assert.Equal(t, "ap-northeast-1", cfg["agm-dr:primaryRegion"])
	assert.JSONEq(t, `{"ap-northeast-1":"10.10.0.0/16","ap-northeast-3":"10.20.0.0/16"}`, cfg["agm-dr:vpcCidrs"])
}

func TestDiffShowsLongValuesAroundTheirFirstDifference(t *testing.T) {
	doc := func(n int) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			var t thing
			body := strings.Repeat(`{"widget":"padding"},`, 20) + fmt.Sprintf(`{"minimum":%d}`, n)
			return ctx.RegisterResource("test:index:Thing", "a", pulumi.Map{"body": pulumi.String(body)}, &t)
		}
	}
	a, err := capture.Run(doc(2), capture.Options{Project: "p", Stack: "s"})
	require.NoError(t, err)
	b, err := capture.Run(doc(6), capture.Options{Project: "p", Stack: "s"})
	require.NoError(t, err)
	changes := capture.Diff(a, b)
	require.Len(t, changes, 1)
	assert.Contains(t, changes[0].Before, `{"minimum":2}`)
	assert.Contains(t, changes[0].After, `{"minimum":6}`)
	assert.True(t, strings.HasPrefix(changes[0].Before, "..."), "cut before the difference")
}
