# GridDesk — make run | make test | make bench | make server | make dist
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
export PATH := /usr/local/go/bin:$(PATH)
GO ?= go
BIN := bin
STAMP := .cache/setup.stamp

.PHONY: run test bench server setup build smoke faults load fuzz clean test-fonts

# setup runs .ci/setup when it (or go.mod) changed since the last run
setup: $(STAMP)
$(STAMP): .ci/setup go.mod go.sum
	@bash .ci/setup
	@mkdir -p $(@D) && touch $@

# setup-dist adds what the packaging needs (Wine, MinGW, NSIS, qemu, …), for the
# dist targets only: make run and make build never pull it
.PHONY: setup-dist dist dist-check
DIST_STAMP := .cache/setup-dist.stamp
setup-dist: $(DIST_STAMP)
$(DIST_STAMP): .ci/setup-dist
	@bash .ci/setup-dist
	@mkdir -p $(@D) && touch $@

build: setup
	$(GO) build -o $(BIN)/griddesk .
	CGO_ENABLED=0 $(GO) build -o $(BIN)/griddesk-server ./server/cmd/griddesk-server

## run: start the desk on the embedded demo town
run: build
	./$(BIN)/griddesk $(ARGS)

## test: every test: vet, unit and headless UI tests, the real window under Xvfb,
## and the brief packaging check (dist-check). The store and server tests run
## twice, on SQLite and on PostgreSQL + PostGIS (a throwaway cluster each test
## binary starts as user postgres in a temporary directory;
## GRIDDESK_TEST_ENGINES=sqlite leaves it out, on a machine without it)
test: setup
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) build -o /dev/null ./server/cmd/griddesk-server
	$(GO) test -count=1 -timeout 30m ./...
	$(MAKE) --no-print-directory test-fonts
	$(MAKE) --no-print-directory smoke
	$(MAKE) --no-print-directory load LOAD=5s
	$(MAKE) --no-print-directory fuzz FUZZTIME=5000x
	$(MAKE) --no-print-directory dist-check

## test-fonts: the UI goldens again with two CJK fonts visible to Fyne (XDG_DATA_DIRS):
## the same goldens must hold on a host with CJK fonts as on one with only DejaVu
test-fonts: setup
	XDG_DATA_DIRS=$$(bash .ci/cjk-fonts) $(GO) test -count=1 -run 'Golden' ./ui/ ./mapview/

## smoke: the desk in a real X window (Xvfb), screenshots checked and kept in .cache/screens
smoke: build
	GRIDDESK_SMOKE=1 $(GO) test -count=1 -timeout 10m -run TestSmoke -v . 2>&1 | tail -40

## faults: the fault tests alone (also part of make test): desk SIGKILLed mid-push,
## server killed mid-batch, 100 offline actions, a flaky network
faults: setup
	$(GO) test -count=1 -v -run 'Fault|Hundred|TwoDesks' ./desk/ 2>&1 | grep -E '^(---|ok|FAIL|\s+\w+_test.go)'

## load: 200 desks long-polling and 50 case reports a second on loopback (LOAD=60s),
## on SQLite (one server) then on PostgreSQL (two server nodes sharing desks and reporters):
## fails on any error, lost or doubled report; prints the latencies against their budgets
LOAD ?= 60s
load: setup
	GRIDDESK_LOAD=$(LOAD) $(GO) test -count=1 -timeout 15m -run 'TestLoad$$' -v ./server/ 2>&1 | grep -E '^(load:|--- |ok|FAIL)'

## fuzz: the command and change-feed decoders and the importers (FUZZTIME each).
## Counted in runs, not seconds: a -fuzztime duration can fail with a bare
## "context deadline exceeded" at its end (Go fuzz coordinator race, golang/go#75804,
## fixed in Go 1.27), and did once in CI.
FUZZTIME ?= 200000x
fuzz: setup
	$(GO) test -run '^$$' -fuzz '^FuzzCommand$$' -fuzztime $(FUZZTIME) ./core/command/
	$(GO) test -run '^$$' -fuzz '^FuzzChanges$$' -fuzztime $(FUZZTIME) ./desk/replica/
	$(GO) test -run '^$$' -fuzz '^FuzzCSV$$' -fuzztime $(FUZZTIME) ./core/ingest/
	$(GO) test -run '^$$' -fuzz '^FuzzGeoJSON$$' -fuzztime $(FUZZTIME) ./core/ingest/

## bench: the performance budgets of DESIGN.md §7. BenchmarkCity builds the
## Dongguan-like city on SQLite and on PostgreSQL (a year of cases; fewer days
## with GRIDDESK_BENCH_CITY_DAYS=N) and measures a town desk's sync from it
bench: setup
	$(GO) test -run '^$$' -bench . -benchtime 10x -timeout 120m ./... | grep -E '^(Benchmark|ok|FAIL|goos|cpu)'

## server: the REST backend alone on 127.0.0.1:8080 (database in bin/griddesk.db)
server: build
	./$(BIN)/griddesk-server -addr 127.0.0.1:8080 -db $(BIN)/griddesk.db -seed town

## dist: the release packages into dist/ with SHA256SUMS — Windows desk .exe, installer and
## server .exe; .deb of desk and server for Linux amd64 and arm64; the loong64 server —
## then every check of packaging/check.sh on them (slow: the cgo desks are cross-built)
dist: setup setup-dist
	bash packaging/dist.sh
	bash packaging/check.sh full

## dist-check: the brief packaging check of make test: the server cross-built and answering
## under Wine and qemu, the .debs installed, run and removed in a throwaway root
dist-check: build setup-dist
	bash packaging/check.sh brief

clean:
	rm -rf $(BIN) .cache dist
