//go:build tools

// Package tools pins the Pulumi CLI that CI builds from the Go module proxy;
// it is a separate module so the CLI's large dependency graph stays out of
// the project's go.mod.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
