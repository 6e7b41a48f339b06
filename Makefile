# rapporteur: the two commands are `make run` and `make test` (see README.md).
.PHONY: run test deps build release asan dev bench check-layers format clean

DB ?= rapporteur.db
PORT ?= 8080
BIND ?= 127.0.0.1

run: release
	./build/release/rapporteur init --demo --db $(DB)
	./build/release/rapporteur serve --db $(DB) --port $(PORT) --bind $(BIND)

test: deps
	scripts/run-tests

deps:
	scripts/install-deps

release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release

dev: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev

asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan

check-layers:
	scripts/check-layers

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
