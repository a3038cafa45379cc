# Puts every zones CLI on this host's PATH from this checkout, and takes them off again
# (docs/reference.md#11-installing):
#
#   npm run build && sudo make install      # PREFIX=/usr/local, DESTDIR honoured
#   sudo make uninstall                     # the same PREFIX and DESTDIR
#
# Installs, under $(DESTDIR)$(PREFIX): bin/<tool>, a wrapper that runs this checkout's built bin
# with the node found at install time, both by absolute path; the man pages of man/ (made by
# npm run build); the completion of completion/ (idem), for bash-completion (one name per tool)
# and for zsh's site-functions; and share/zones/installed-files, the list uninstall removes (the
# files, then the directories install made, if empty), each entry written before its file, so
# that an install stopped half-way is undone by uninstall too, and finished by running it again.
# The checkout stays where it is: the wrappers run it, so a `git pull && npm run build` updates them.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
STATEDIR ?= $(PREFIX)/share/zones
# absolute, found now: the wrappers never look node up on the PATH of whoever runs them (root)
NODE ?= $(shell command -v node)

REPO := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
# every tool of bin/ (each names the package bin it runs: `$here/../packages/.../x.js`)
TOOLS := $(notdir $(wildcard $(REPO)/bin/*))
MANSRC ?= $(REPO)/man
MANPAGES := $(wildcard $(MANSRC)/*.[0-9])
MANIFEST := $(DESTDIR)$(STATEDIR)/installed-files

.PHONY: all install uninstall

all:
	@echo 'make install puts the zones tools on the PATH (after npm run build); make uninstall removes them'

install:
	@test -n '$(NODE)' || { echo 'make install: node is not on the PATH (set NODE=/path/to/node)' >&2; exit 1; }
	@test -f '$(REPO)/packages/zoneadm/dist/main.js' -a -f '$(REPO)/completion/zones.bash' || { echo 'make install: build first: npm run build' >&2; exit 1; }
	@set -e; \
	made() { d=$$1; new=''; while [ "$$d" != / ] && [ ! -d '$(DESTDIR)'"$$d" ]; do new="$$d $$new"; d=$$(dirname "$$d"); done; \
	  mkdir -p '$(DESTDIR)'"$$1"; for x in $$new; do printf 'd %s\n' "$$x"; done; }; \
	state=$$(made '$(STATEDIR)'); \
	[ -z "$$state" ] || printf '%s\n' "$$state" >> '$(MANIFEST)'; \
	rec() { printf '%s\n' "$$1" >> '$(MANIFEST)'; }; \
	mk() { for x in $$(made "$$1" | cut -c3-); do rec "d $$x"; done; }; \
	mk '$(BINDIR)'; mk '$(BASHCOMPDIR)'; mk '$(ZSHCOMPDIR)'; \
	for t in $(TOOLS); do \
	  js=$$(sed -n 's|.*\$$here/\.\./\(packages/[^"]*\.js\)".*|\1|p' '$(REPO)/bin/'$$t); \
	  test -n "$$js" -a -f '$(REPO)/'"$$js" || { echo "make install: bin/$$t: no package bin found" >&2; exit 1; }; \
	  dest='$(DESTDIR)$(BINDIR)/'$$t; rec "f $(BINDIR)/$$t"; \
	  printf '%s\n' '#!/bin/sh' \
	    "# $$t from the zones checkout $(REPO) (installed by its make install; make uninstall removes it)." \
	    '# Absolute paths only, and without the variables that would make node load other code.' \
	    'unset NODE_OPTIONS NODE_PATH' \
	    "exec '$(NODE)' '$(REPO)/$$js' \"\$$@\"" > "$$dest.tmp"; \
	  chmod 755 "$$dest.tmp"; mv -f "$$dest.tmp" "$$dest"; \
	done; \
	for m in $(MANPAGES); do \
	  s=$${m##*.}; mk '$(MANDIR)/man'$$s; \
	  rec "f $(MANDIR)/man$$s/$${m##*/}"; install -m 644 "$$m" '$(DESTDIR)$(MANDIR)/man'$$s/; \
	done; \
	rec 'f $(BASHCOMPDIR)/zones'; install -m 644 '$(REPO)/completion/zones.bash' '$(DESTDIR)$(BASHCOMPDIR)/zones'; \
	for t in $(TOOLS); do rec "f $(BASHCOMPDIR)/$$t"; ln -sf zones '$(DESTDIR)$(BASHCOMPDIR)/'$$t; done; \
	rec 'f $(ZSHCOMPDIR)/_zones'; install -m 644 '$(REPO)/completion/_zones' '$(DESTDIR)$(ZSHCOMPDIR)/_zones'; \
	echo "make install: $(TOOLS) in $(DESTDIR)$(BINDIR); man pages, bash and zsh completion under $(DESTDIR)$(PREFIX)/share"

uninstall:
	@set -e; \
	if [ -f '$(MANIFEST)' ]; then \
	  sed -n 's/^f //p' '$(MANIFEST)' | while IFS= read -r f; do rm -f '$(DESTDIR)'"$$f"; done; \
	  dirs=$$(sed -n 's/^d //p' '$(MANIFEST)' | sort -ru); rm -f '$(MANIFEST)'; \
	  printf '%s\n' "$$dirs" | while IFS= read -r d; do [ -z "$$d" ] || rmdir '$(DESTDIR)'"$$d" 2>/dev/null || true; done; \
	  echo 'make uninstall: removed what make install put under $(DESTDIR)$(PREFIX)'; \
	else echo 'make uninstall: nothing installed under $(DESTDIR)$(PREFIX) ($(MANIFEST) is missing)'; fi
