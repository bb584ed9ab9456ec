package config

import (
	"fmt"
	"regexp"
	"time"
	_ "time/tzdata" // validate timezones the same on every machine
)

var (
	windowNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,40}$`)
	momentRE     = regexp.MustCompile(`^[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$`)
)

func (p *parser) season(key string, maxTasks int) Season {
	s := Season{Timezone: "Asia/Tokyo"}
	if !p.object(key, &s) {
		return s
	}
	// "Local" and "" load in Go but mean nothing to Application Auto Scaling.
	if _, err := time.LoadLocation(s.Timezone); err != nil || s.Timezone == "" || s.Timezone == "Local" {
		p.failf(key, "timezone %q is not an IANA time zone like Asia/Tokyo", s.Timezone)
	}
	seen := map[string]bool{}
	for i, w := range s.Windows {
		at := fmt.Sprintf("windows[%d]", i)
		if !windowNameRE.MatchString(w.Name) {
			p.failf(key, "%s: name %q must be lowercase letters, digits and hyphens", at, w.Name)
		} else if seen[w.Name] {
			p.failf(key, "%s: name %q is used twice", at, w.Name)
		}
		seen[w.Name] = true
		start, errS := ParseMoment(w.Start)
		end, errE := ParseMoment(w.End)
		if errS != nil {
			p.failf(key, "%s: start: %v", at, errS)
		}
		if errE != nil {
			p.failf(key, "%s: end: %v", at, errE)
		}
		if errS == nil && errE == nil && !start.Before(end) {
			p.failf(key, "%s: end %s is not after start %s (windows may not wrap over the new year)", at, w.End, w.Start)
		}
		for j, o := range s.Windows[:i] {
			os, e1 := ParseMoment(o.Start)
			oe, e2 := ParseMoment(o.End)
			// An earlier window's end action would drop the floor inside this one.
			if errS == nil && errE == nil && e1 == nil && e2 == nil && start.Before(oe) && os.Before(end) {
				p.failf(key, "%s overlaps windows[%d] (%s); merge them", at, j, o.Name)
			}
		}
		if w.MinTasks < 1 || w.MinTasks > maxTasks {
			p.failf(key, "%s: minTasks is %d; allowed: 1 to maxTasks (%d)", at, w.MinTasks, maxTasks)
		}
	}
	return s
}

// Moment is a time of year, "MM-DD HH:MM".
type Moment struct{ Month, Day, Hour, Minute int }

// Before orders moments within one year.
func (m Moment) Before(o Moment) bool {
	a := [4]int{m.Month, m.Day, m.Hour, m.Minute}
	b := [4]int{o.Month, o.Day, o.Hour, o.Minute}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// Cron is the yearly App Auto Scaling schedule expression that fires at this moment.
func (m Moment) Cron() string {
	return fmt.Sprintf("cron(%d %d %d %d ? *)", m.Minute, m.Hour, m.Day, m.Month)
}

// ParseMoment parses "MM-DD HH:MM" and refuses dates that never (or only in leap years) occur,
// since such a schedule would silently never fire.
func ParseMoment(s string) (Moment, error) {
	var m Moment
	if !momentRE.MatchString(s) {
		return m, fmt.Errorf("%q is not \"MM-DD HH:MM\" (e.g. \"06-20 08:00\")", s)
	}
	if _, err := fmt.Sscanf(s, "%02d-%02d %02d:%02d", &m.Month, &m.Day, &m.Hour, &m.Minute); err != nil {
		return m, fmt.Errorf("%q is not \"MM-DD HH:MM\" (e.g. \"06-20 08:00\")", s)
	}
	if m.Hour > 23 || m.Minute > 59 {
		return m, fmt.Errorf("%q has no such time of day", s)
	}
	// 2023 is not a leap year: 02-29 is refused because it fires only one year in four.
	t := time.Date(2023, time.Month(m.Month), m.Day, 0, 0, 0, 0, time.UTC)
	if m.Month < 1 || m.Month > 12 || t.Day() != m.Day || int(t.Month()) != m.Month {
		return m, fmt.Errorf("%q is a date that does not occur every year, so the schedule would never fire", s)
	}
	return m, nil
}
