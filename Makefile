# Shortcuts for the scripts in scripts/ (each sets itself up on first use).
.PHONY: run test bench bundle
run:
	bash scripts/run-app.sh
test:
	bash scripts/run-tests.sh
bench:
	bash scripts/run-bench.sh
bundle:
	bash packaging/build-linux.sh
