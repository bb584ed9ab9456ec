package cost

import (
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/agm-dr/agm-dr/capture"
	"github.com/agm-dr/agm-dr/config"
)

// Helpers the price table uses to read usage from a registered resource's inputs.

func both(usd float64) map[string]float64 {
	return map[string]float64{config.Tokyo: usd, config.Osaka: usd}
}

func hours(capture.Resource, Scope) float64 { return HoursPerMonth }

func fixed(units float64) Usage { return func(capture.Resource, Scope) float64 { return units } }

func num(r capture.Resource, key string) float64 {
	v := r.Inputs[resource.PropertyKey(key)]
	switch {
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		f, _ := strconv.ParseFloat(v.StringValue(), 64)
		return f
	}
	return 0
}

func str(r capture.Resource, key string) string {
	if v := r.Inputs[resource.PropertyKey(key)]; v.IsString() {
		return v.StringValue()
	}
	return ""
}

func count(r capture.Resource, key string) float64 {
	if v := r.Inputs[resource.PropertyKey(key)]; v.IsArray() {
		return float64(len(v.ArrayValue()))
	}
	return 0
}

func flag(r capture.Resource, key string) bool {
	v := r.Inputs[resource.PropertyKey(key)]
	return v.IsBool() && v.BoolValue()
}

// canaryRuns is a month of one run a minute, or none when the canary is not started.
func canaryRuns(r capture.Resource, _ Scope) float64 {
	if !flag(r, "startCanary") {
		return 0
	}
	return 730 * 60
}

// free is a Price for a class that costs nothing, so the class counts as covered.
func free(class string) Price {
	return Price{What: class + " (no charge)", Class: class, USD: both(0), Usage: fixed(0)}
}
