# The two commands a newcomer runs are `make plan` (the main job, offline) and `make test`.
SHELL := bash
TOOLS ?= $(HOME)/.cache/agm-dr
export AGMDR_TOOLS := $(TOOLS)
TO ?= ap-northeast-3

.PHONY: plan test unit provider tools bench bench-switchover lint

# What the switchover to $(TO) would change, computed offline under mocks (no AWS account).
plan:
	go run ./cmd/drctl plan --to $(TO)

# Everything CI runs: lint, unit tests, emulator tests against ministack, end-to-end with the
# real Pulumi engine. Installs what it needs (ministack from PyPI, the Pulumi CLI from the Go
# module proxy) into $(TOOLS). Stops the emulator at the end if this run started it.
test: lint provider tools
	source .ci/env.sh && status=0 && { go test -count=1 ./... || status=$$?; } && \
	  bash .ci/ministack-stop.sh && exit $$status

# Unit tests only (no emulator, no CLI): fast inner loop.
unit:
	go test ./...

lint:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$bad" ]; then echo "gofmt needed: $$bad"; exit 1; fi
	go vet ./...

provider:
	go build -o bin/pulumi-resource-agmdr ./cmd/pulumi-resource-agmdr

tools:
	bash .ci/ministack.sh
	bash .ci/pulumi-cli.sh

bench: provider tools
	source .ci/env.sh && go test -run '^$$' -bench . -benchtime 3x ./tests/ ./switchover/ ./cost/ ./simulate/

# drctl's switchover on the real stacks through the real engine, before and after compile-once
# and targeted refresh (README, Benchmarks). COLD=1 starts both from an empty Go build cache.
bench-switchover: provider tools
	source .ci/env.sh && AGMDR_BENCH_COLD=$(COLD) go test -count=1 -timeout 40m -run '^$$' -bench BenchmarkSwitchoverRealStacks -benchtime 1x ./cmd/drctl/
