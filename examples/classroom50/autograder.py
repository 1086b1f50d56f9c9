"""Classroom 50 autograder that grades a Dockerfile project with grader.

Put this file at CLASSROOM/autograders/ASSIGNMENT/autograder.py in your classroom50
repository, with your rubric next to it as rubric.yml (the runner bundles sibling files, so
students never see or edit it; start from grader's rubrics/web.yml). Without one, the built-in
`web` rubric is used. The assignment's `runtime` must give the job Node.js
("node": "24"); GitHub's ubuntu runners already have Docker.

The runner starts this script in the student's checkout. grader builds the Dockerfile, runs
the container, checks it against the rubric and writes ./result.json (schema
classroom50/result/v1) from the runner's environment (CLASSROOM, ASSIGNMENT, SUBMISSION_TAG,
COMMIT_URL, RELEASE_URL, REVIEW_URL). A submission that scores low still exits 0: the score
is in result.json. A run that could not be graded (an engine fault) exits non-zero and writes
no result.json, which the runner reports as an infrastructure error, not as a zero.
"""

import os
import shlex
import subprocess
import sys
from pathlib import Path

RUBRIC = Path(__file__).parent / "rubric.yml"
rubric = str(RUBRIC) if RUBRIC.is_file() else "web"

# GRADER picks another grader command (a local checkout's `node dist/cli.js`, say).
grader = shlex.split(os.environ.get("GRADER", "npx --yes grader@1"))

completed = subprocess.run(
    [*grader, ".", "--rubric", rubric, "--classroom50", "result.json", "--markdown", "release-body.md"],
    check=False,
)
# grader's exit codes: 0 passed, 1 below the pass mark (both graded), 2 rubric or usage error, 3 ungradable.
sys.exit(0 if completed.returncode in (0, 1) else completed.returncode)
