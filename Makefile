# The README's two commands. Both install what is missing (scripts/bootstrap) first.
#   make sweep  - release build, the quick sweep into out/quick, and its report in every
#                 format (out/quick/report.html, .md, .tex, .csv, .json, .*.svg)
#   make test   - build and run every test through ctest (warnings are errors when CI is set)
TEST_PRESET := $(if $(CI),ci,dev)
JOBS ?= $(shell nproc)
MIBENCH := build/release/suite/mibench

.PHONY: sweep test bootstrap build-release build-test clean

# A sweep with failed cells (exit 1) still gets its report; make then exits with that status.
sweep: build-release
	@status=0; $(MIBENCH) run configs/quick.json --out out/quick || status=$$?; \
	  [ $$status -le 1 ] || exit $$status; \
	  $(MIBENCH) report out/quick && exit $$status

test: build-test
	ctest --preset $(TEST_PRESET) -j $(JOBS)

bootstrap:
	@scripts/bootstrap

build-release: bootstrap
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

build-test:
	@scripts/bootstrap --test
	cmake --preset $(TEST_PRESET) >/dev/null
	cmake --build --preset $(TEST_PRESET) -j $(JOBS)

clean:
	rm -rf build out
