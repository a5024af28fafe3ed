#!/bin/sh
# Makes the gallery of docs/gallery/*.png and docs/report-screenshot.png with the command line, from
# the baseline with a subsidy budget, so that every parameter a chart plots matters (a partner
# subsidy with no budget would plot noise). Run by "npm run gallery"; tests never write these files.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ecosim() { node --import tsx src/cli/main.ts "$@"; }
g=docs/gallery
mkdir -p "$g"
set -- --set platforms.0.subsidyBudget=2000 --quiet

ecosim run baseline "$@" --out "$work/run"
ecosim chart "$work/run" --metric gmv --metric revenue --out "$g/timeseries.png"
ecosim chart "$work/run" --kind adoption --out "$g/adoption.png"
ecosim chart "$work/run" --kind moneyflow --out "$g/moneyflow.png"

ecosim sweep baseline "$@" --param platforms.0.takeRate=0.05:0.35:0.1 --param platforms.0.partnerSubsidy=0,1,2 \
  --replications 3 --ticks 104 --timeseries --workers 2 --out "$work/sweep"
ecosim chart "$work/sweep" --kind response --param takeRate --metric all.total.revenue --out "$g/response.png"
ecosim chart "$work/sweep" --kind heatmap --param takeRate --param partnerSubsidy --metric all.final.partners --out "$g/heatmap.png"
ecosim chart "$work/sweep" --kind timeseries --metric customers --out "$g/timeseries-band.png"

ecosim sweep baseline "$@" --design sobol --samples 32 --ticks 104 --workers 2 --param platforms.0.takeRate=0.05:0.35 \
  --param customers.needRate=0.1:0.5 --param platforms.0.partnerSubsidy=0:2 --out "$work/sobol"
ecosim analyze "$work/sobol" --quiet > /dev/null
ecosim chart "$work/sobol" --kind tornado --metric ecosystemValue --out "$g/tornado.png"

ecosim compare scenarios/cold-start-no-subsidy.yaml scenarios/cold-start-subsidy.yaml scenarios/cold-start-house-supply.yaml \
  --replications 5 --ticks 104 --workers 2 --quiet --out "$work/compare" > /dev/null
ecosim chart "$work/compare" --metric all.final.partners --out "$g/comparison.png"

# The README's screenshot: the report of the baseline run in Chromium, when it is installed.
ecosim report "$work/run" --quiet > /dev/null
if [ -x /usr/bin/chromium ]; then
  node -e '
    const { chromium } = require("playwright-core");
    (async () => {
      const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
      const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
      await p.goto("file://" + process.argv[1], { waitUntil: "load" });
      await p.screenshot({ path: "docs/report-screenshot.png" });
      await b.close();
    })();' "$work/run/report.html"
fi
echo "wrote $g/*.png and docs/report-screenshot.png"
