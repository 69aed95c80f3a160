# Eight jobs that log their start and end to $(LOG): the peak counts what ran at once.
JOBS = 1 2 3 4 5 6 7 8
all: $(JOBS)
$(JOBS):
	@echo "start native$@" >> $(LOG); sleep 0.5; echo "end native$@" >> $(LOG)
.PHONY: all $(JOBS)
