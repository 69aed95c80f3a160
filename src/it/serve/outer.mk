# An outer make -j3 runs three two-second jobs of its own and a Maven whose serve runs recipes.mk:
# together they must never exceed 3.
LOG ?= $(CURDIR)/outer.work.log
all: a b c maven
a b c:
	@echo "start $@ $$(date +%s%N)" >> $(LOG); sleep 2; echo "end $@ $$(date +%s%N)" >> $(LOG)
CHILD ?= make -f recipes.mk LOG=$(LOG)
maven:
	+$(MVN) -B -ntp -Dmaven.repo.local=$(REPO) $(GOAL) "-Djobserver.command=$(CHILD)"
# A Maven whose child loses two of the outer make's tokens: serve's relay must give them back, or make's
# exit check ("INTERNAL: Exiting with ...") fires.
shortfall:
	+$(MVN) -B -ntp -Dmaven.repo.local=$(REPO) $(GOAL) -Djobserver.relay=true "-Djobserver.command=make -f recipes.mk greedy"
.PHONY: all a b c maven shortfall
# A Maven whose serve runs a claim-all client (claim-all, as the Linux kernel's jobserver-exec): it must
# see every free token, as it would run by make itself. DIR: a project directory (withext: the extension).
DIR ?= $(CURDIR)
claim:
	+cd $(DIR) && $(MVN) -B -ntp -Dmaven.repo.local=$(REPO) $(GOAL) "-Djobserver.command=$(CURDIR)/claim-all true"
.PHONY: claim
