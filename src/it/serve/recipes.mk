# Eight one-second work items; each logs its start and end to LOG. "long" sleeps until it is stopped.
LOG ?= $(CURDIR)/work.log
ITEMS := 1 2 3 4 5 6 7 8
all: $(ITEMS)
$(ITEMS):
	@echo "start $@ $$(date +%s%N)" >> $(LOG); sleep 1; echo "end $@ $$(date +%s%N)" >> $(LOG)
long:
	@sleep 600 & echo $$! > $(CURDIR)/long.pid; wait
.PHONY: all long $(ITEMS)
