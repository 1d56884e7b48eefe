#!/usr/bin/env bash
# Mutation-test one module with mutmut, in a worktree of its own (never in the checkout):
#   docs/mutation/run.sh labels [COMMIT]      (configs: docs/mutation/<module>.cfg; report: docs/mutation-testing.md)
# Test files the config names that COMMIT does not have yet are left out, so the same config measures before and after.
# MUTATION_NEW_ONLY=1 keeps only the tests written against the survivors (tests/test_*_mutants.py) and the doctests:
# the mutants they kill, added to those the first run killed, are the rate after (a test added never revives a mutant).
# MUTATION_TESTS_FROM=REV takes those tests from REV, to measure them on the modules as they were at COMMIT.
set -euo pipefail
module=$1
commit=${2:-HEAD}
repo=$(git rev-parse --show-toplevel)
work=${MUTATION_WORK:-/tmp/mutation-$module}
git -C "$repo" worktree remove --force "$work" 2>/dev/null || rm -rf "$work"
git -C "$repo" worktree add --detach "$work" "$commit" >/dev/null
cd "$work"
if [ -n "${MUTATION_TESTS_FROM:-}" ]; then
    git checkout "$MUTATION_TESTS_FROM" -- $(git ls-tree --name-only "$MUTATION_TESTS_FROM" tests/ | grep '_mutants\.py$')
fi
# The installed package maps these folders into lscp_kg (pyproject's package-dir); mutmut imports its copy of
# ./lscp_kg, so they move into it here.
for sub in service visualisations queries ontology graph_data; do mv "$sub" "lscp_kg/$sub"; done
while IFS= read -r line; do
    case "$line" in
        "    tests/"*_mutants.py) [ -e "${line#    }" ] && echo "$line" || true ;;
        "    tests/"*) [ -e "${line#    }" ] && [ -z "${MUTATION_NEW_ONLY:-}" ] && echo "$line" || true ;;
        *) echo "$line" ;;
    esac
done < "$repo/docs/mutation/$module.cfg" > setup.cfg
mutmut run --max-children "${MUTATION_CHILDREN:-2}" "${@:3}"
mutmut export-cicd-stats
cat mutants/mutmut-cicd-stats.json
mutmut results
