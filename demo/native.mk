# Eight native jobs of half a second each; they run as wide as the jobserver allows.
JOBS := n1 n2 n3 n4 n5 n6 n7 n8
.PHONY: all $(JOBS)
all: $(JOBS)
$(JOBS):
	@echo start $@ >> $(LOG); sleep 0.5; echo end $@ >> $(LOG)
