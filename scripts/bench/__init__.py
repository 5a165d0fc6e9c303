"""The benchmarks: model, rules, HTTP, load and browser, each writing its figures to a file."""
