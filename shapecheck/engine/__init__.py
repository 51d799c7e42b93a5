"""The numpy engine: what the tracer described, executed in float64."""
