# The native build each module runs as a child of Maven: four one-second jobs, each logging its start and
# end to $(WORK) (one short append per line).
JOBS = j1 j2 j3 j4
.PHONY: all $(JOBS)
all: $(JOBS)
$(JOBS):
	@echo "start $(MODULE) $@" >> $(WORK); sleep 1; echo "end $(MODULE) $@" >> $(WORK)
