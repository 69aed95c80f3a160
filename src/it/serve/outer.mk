# An outer make -j3 runs three two-second jobs of its own and a Maven whose serve runs recipes.mk:
# together they must never exceed 3.
LOG ?= $(CURDIR)/outer.work.log
all: a b c maven
a b c:
	@echo "start $@ $$(date +%s%N)" >> $(LOG); sleep 2; echo "end $@ $$(date +%s%N)" >> $(LOG)
maven:
	+$(MVN) -B -ntp -Dmaven.repo.local=$(REPO) $(GOAL) "-Djobserver.command=make -f recipes.mk LOG=$(LOG)"
# A Maven whose child loses two of the outer make's tokens: serve must give them back, or make's exit
# check ("INTERNAL: Exiting with ...") fires.
shortfall:
	+$(MVN) -B -ntp -Dmaven.repo.local=$(REPO) $(GOAL) "-Djobserver.command=make -f recipes.mk greedy"
.PHONY: all a b c maven shortfall
