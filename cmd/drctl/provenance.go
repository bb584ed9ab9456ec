package main

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"strings"
	"time"

	"github.com/agm-dr/agm-dr/config"
	"github.com/agm-dr/agm-dr/report"
)

// stamp fills what a report needs to stand next to earlier ones: the target region, the repo's
// git commit, the application release (agm-dr:appImage in the project) and who ran it. Each is
// best effort: a value that cannot be read stays empty and the report says "unknown".
func stamp(dir, to string, rep *report.Report) {
	if rep.Target == "" {
		rep.Target, _ = resolveRegion(to) // "" when --to was neither a region nor a stack
	}
	rep.Commit = gitCommit(dir)
	if cfg, err := stackConfig(dir)(config.TokyoStack); err == nil {
		rep.AppVersion = cfg.AppImage
	}
	rep.RanBy = whoRan()
}

func gitCommit(dir string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += "-dirty"
	}
	return commit
}

func whoRan() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
