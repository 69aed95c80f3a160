# N one-second jobs that log their start and end to $(LOG), run by jobserver:serve in module n with no -j:
# how many run at once is the jobserver's business.
N = 6
JOBS := $(shell seq 1 $(N))
all: $(JOBS)
$(JOBS):
	@echo "start native$@" >> $(LOG); sleep 1; echo "end native$@" >> $(LOG)
.PHONY: all $(JOBS)
