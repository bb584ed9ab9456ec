package app

// floor is the task count the service starts from and never scales below: none while asleep.
func (a *Args) floor() int {
	if a.Asleep {
		return 0
	}
	return a.MinTasks
}

// ceiling is the most tasks autoscaling may run: none while asleep, so neither request
// tracking nor a stray alarm starts a task in an environment that has no NAT gateway.
func (a *Args) ceiling() int {
	if a.Asleep {
		return 0
	}
	return a.MaxTasks
}

// schedules are the season windows to schedule: none while asleep, or June would wake it.
func (a *Args) schedules() []Schedule {
	if a.Asleep {
		return nil
	}
	return a.Schedules
}
