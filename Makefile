# The README's two commands. Both install what is missing (scripts/bootstrap) first.
#   make sweep  - release build, the quick sweep into out/quick, and its report in every
#                 format (out/quick/report.html, .md, .tex, .csv, .json, .*.svg)
#   make test   - build and run every test through ctest (warnings are errors when CI is set)
#   make fuzz   - the libFuzzer targets, FUZZ_SECONDS (60) each
#   make readme - the README's summary table and heat map from a fresh run of configs/quick.json
#   make readme-ssl - the README's SSL figures from configs/ssl.json (15 min on 2 cores)
#   make readme-highdim - "Where estimators break" from configs/highdim.json (see README)
#   make readme-cmi - "Conditional MI and transfer entropy" from configs/cmi.json (see README)
TEST_PRESET := $(if $(CI),ci,dev)
JOBS ?= $(shell nproc)
MIBENCH := build/release/suite/mibench

.PHONY: sweep test fuzz readme readme-ssl readme-highdim readme-cmi bootstrap build-release build-test clean

# A sweep with failed cells (exit 1) still gets its report; make then exits with that status.
# It starts afresh each time, so the report is always this build's (mibench run refuses to
# resume a folder another build started).
sweep: build-release
	@rm -rf out/quick; status=0; $(MIBENCH) run configs/quick.json --out out/quick || status=$$?; \
	  [ $$status -le 1 ] || exit $$status; \
	  $(MIBENCH) report out/quick && exit $$status

test: build-test
	ctest --preset $(TEST_PRESET) -j $(JOBS)

# libFuzzer targets (config parser, .npy and CSV readers, estimator specs) under ASan + UBSan,
# each for FUZZ_SECONDS, starting from the seeds in fuzz/corpus; a crash fails the target.
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/bootstrap --test
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	@for t in config npy csv spec; do \
	  mkdir -p build/fuzz/corpus/$$t && cp fuzz/corpus/$$t/* build/fuzz/corpus/$$t/ && \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s" && \
	  ASAN_OPTIONS=allocator_may_return_null=1 build/fuzz/fuzz/$${t}_fuzz \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=0 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/$$t- \
	    build/fuzz/corpus/$$t 2>build/fuzz/$$t.log || { tail -40 build/fuzz/$$t.log; exit 1; }; \
	  grep -E "^(Done|stat::number_of_executed_units)" build/fuzz/$$t.log; \
	done

readme: build-release
	scripts/readme_results $(MIBENCH)

readme-ssl: build-release
	scripts/readme_results $(MIBENCH) --ssl

readme-highdim: build-release
	scripts/readme_results $(MIBENCH) --highdim

readme-cmi: build-release
	scripts/readme_results $(MIBENCH) --cmi

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
