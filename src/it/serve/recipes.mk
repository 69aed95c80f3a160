# Eight one-second work items; each logs its start and end to LOG. "long" sleeps until it is stopped;
# "greedy" loses two tokens; "hold" runs three jobs until stopped.
LOG ?= $(CURDIR)/work.log
ITEMS := 1 2 3 4 5 6 7 8
all: $(ITEMS)
$(ITEMS):
	@echo "start $@ $$(date +%s%N)" >> $(LOG); sleep 1; echo "end $@ $$(date +%s%N)" >> $(LOG)
PIDFILE ?= $(CURDIR)/long.pid
long:
	@sleep 600 & echo $$! > $(PIDFILE); wait
# Takes two tokens from the jobserver and exits without giving them back, as a killed job would.
# make 4.3 leaves the descriptor non-blocking, so a read can find nothing yet: read until two bytes came.
greedy:
	+@n=0; while [ $$n -lt 2 ]; do n=$$((n + $$(dd bs=1 count=1 <&3 2>/dev/null | wc -c))); done; \
	echo "greedy kept $$n tokens"
# Three jobs that each hold a slot until stopped; each job's shell becomes its sleep and logs its pid.
PIDS ?= $(CURDIR)/hold.pids
hold: hold-1 hold-2 hold-3
hold-1 hold-2 hold-3:
	@echo $$$$ >> $(PIDS); exec sleep 600
.PHONY: all long greedy hold hold-1 hold-2 hold-3 $(ITEMS)
