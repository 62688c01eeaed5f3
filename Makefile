# Klant — the two commands a newcomer needs:
#   make quickstart   install system packages, build, run the main job end to end on the shipped data
#                     (summaries, models, scores, response models, action list, report, notebooks, nightly rescoring)
#   make test         install system packages and Python peers, run every test
SHELL := /bin/bash
PEER_VENV ?= $(CURDIR)/.venv-peers
export KLANT_PEER_PYTHON ?= $(PEER_VENV)/bin/python
export KLANT_ML_PYTHON ?= $(PEER_VENV)-ml/bin/python
export KLANT_UPLIFT_PYTHON ?= $(PEER_VENV)-uplift/bin/python
export KLANT_NB_PYTHON ?= $(PEER_VENV)-nb/bin/python

.PHONY: deps pg-deps peers build test quickstart bench
KLANT = .build/release/klant
OUT = quickstart-output
CDNOW_LOG = datasets/CDNOW_master.txt --customer-column customer_id --date-column date --amount-column dollar_value \
    --date-format yyyyMMdd --calibration-end 1997-09-30 --observation-end 1998-06-30
CROSS_SELL_EVALUATIONS = --cross-sell-evaluation $(OUT)/retail-cross-sell-top5.csv --cross-sell-evaluation $(OUT)/retail-cross-sell-top10.csv
RETAIL_COLUMNS = --customer-column CustomerID --item-column StockCode --date-column InvoiceDate \
    --quantity-column Quantity --invoice-column InvoiceNo
deps:
	bash scripts/install-deps.sh

# The PostgreSQL server the Warehouse tests start (scripts/with-postgres.sh), from Debian's packages.
pg-deps:
	bash scripts/install-deps.sh postgresql

peers:
	bash scripts/install-peers.sh "$(PEER_VENV)"

build: deps
	bash scripts/build-release.sh

test: deps pg-deps peers
	bash scripts/with-postgres.sh swift test

bench: deps peers
	bash scripts/bench.sh

# The main job end to end on the shipped CDNOW data: summary -> fits -> predictions -> holdout check.
quickstart: build
	mkdir -p $(OUT) models
	$(KLANT) summarize datasets/CDNOW_master.txt --customer-column customer_id --date-column date \
	    --amount-column dollar_value --date-format yyyyMMdd --unit week \
	    --calibration-end 1997-09-30 --observation-end 1998-06-30 --out $(OUT)/cdnow_summary.csv
	$(KLANT) fit bgnbd --summary $(OUT)/cdnow_summary.csv --out models/cdnow-bgnbd.json
	$(KLANT) fit pareto-nbd --summary $(OUT)/cdnow_summary.csv --out models/cdnow-pareto-nbd.json
	$(KLANT) fit gamma-gamma --summary $(OUT)/cdnow_summary.csv --out models/cdnow-gamma-gamma.json
	$(KLANT) fit bgbb --patterns datasets/donations.csv --out models/donations-bgbb.json
	$(KLANT) predict --model models/cdnow-bgnbd.json --spend-model models/cdnow-gamma-gamma.json \
	    --summary $(OUT)/cdnow_summary.csv --horizon 52 --out $(OUT)/predictions.csv
	$(KLANT) evaluate --model models/cdnow-bgnbd.json --summary $(OUT)/cdnow_summary.csv
	$(KLANT) fit sbg --survivors datasets/sbg_retention.csv --column regular --periods 8 --out models/sbg-regular.json
	$(KLANT) fit churn --data datasets/telco_churn.csv --target Churn --positive Yes --id customerID \
	    --exclude TotalCharges --l2 1.0 --holdout 0.3 --out models/telco-churn.json
	$(KLANT) predict --model models/telco-churn.json --data datasets/telco_churn.csv --out $(OUT)/telco_churn_scores.csv
	$(KLANT) fit churn --summary $(OUT)/cdnow_summary.csv --purchase-model models/cdnow-bgnbd.json \
	    --holdout 0.3 --out models/cdnow-churn.json
	$(KLANT) evaluate --model models/cdnow-churn.json --summary $(OUT)/cdnow_summary.csv --purchase-model models/cdnow-bgnbd.json
	$(KLANT) fit churn --transactions datasets/CDNOW_master.txt --customer-column customer_id --date-column date \
	    --amount-column dollar_value --date-format yyyyMMdd --calibration-end 1997-09-30 \
	    --observation-end 1998-06-30 --holdout 0.3 --out $(OUT)/cdnow-churn-from-transactions.json
	$(KLANT) score --model models/cdnow-bgnbd.json --spend-model models/cdnow-gamma-gamma.json \
	    --summary $(OUT)/cdnow_summary.csv --margin 0.3 --cost-per-order 2 \
	    --horizon 12 --horizon-unit month --discount-rate 0.10 --out $(OUT)/scores.csv
	$(KLANT) score --model models/telco-churn.json --data datasets/telco_churn.csv --period-revenue-column MonthlyCharges \
	    --margin 0.3 --revenue-column TotalCharges --blanks zero --horizon infinite --discount-rate 0.10 \
	    --out $(OUT)/telco_scores.csv
	$(KLANT) fit uplift --data datasets/hillstrom.csv --treatment-column segment --control "No E-Mail" \
	    --target visit --positive 1 --exclude conversion,spend,history_segment --holdout 0.3 --out $(OUT)/email-uplift.json
	$(KLANT) evaluate-campaign --data datasets/hillstrom.csv --treatment-column segment --control "No E-Mail" \
	    --outcome visit,conversion,spend --out $(OUT)/campaign.csv
	$(KLANT) fit cross-sell --transactions datasets/online_retail.csv.gz $(RETAIL_COLUMNS) --calibration-end 2011-08-31 \
	    --out $(OUT)/retail-cross-sell.json
	$(KLANT) evaluate --model $(OUT)/retail-cross-sell.json --transactions datasets/online_retail.csv.gz $(RETAIL_COLUMNS) --top 5 \
	    --out $(OUT)/retail-cross-sell-top5.csv
	$(KLANT) evaluate --model $(OUT)/retail-cross-sell.json --transactions datasets/online_retail.csv.gz $(RETAIL_COLUMNS) --top 10 \
	    --out $(OUT)/retail-cross-sell-top10.csv
	$(KLANT) report --model models/cdnow-bgnbd.json --model models/cdnow-pareto-nbd.json --model models/cdnow-gamma-gamma.json \
	    --model models/cdnow-churn.json --transactions $(CDNOW_LOG) --scores $(OUT)/scores.csv \
	    --title "CDNOW: repeat purchases, churn and value" --notebook notebooks-export/cdnow.ipynb
	$(KLANT) report --model models/telco-churn.json --churn-data datasets/telco_churn.csv --scores $(OUT)/telco_scores.csv \
	    --title "Telco: churn and value" --notebook notebooks-export/telco.ipynb
	$(KLANT) rescore --config examples/nightly/klant.yaml --as-of 1998-06-29
	$(KLANT) rescore --config examples/nightly/klant.yaml --as-of 1998-06-30
	awk -F, 'NR == 1 || $$9 != "No"' datasets/telco_churn.csv > $(OUT)/telco_internet.csv
	$(KLANT) fit propensity --data $(OUT)/telco_internet.csv --target OnlineSecurity --positive Yes --id customerID \
	    --exclude Churn,TotalCharges --l2 1.0 --holdout 0.3 --out $(OUT)/telco-online-security.json
	$(KLANT) actions --scores $(OUT)/telco_scores.csv --catalog examples/actions.yaml --customers datasets/telco_churn.csv \
	    --customer-id-column customerID --store $(OUT)/klant.sqlite --as-of 2026-12-01 --record --out $(OUT)/actions.csv
	$(KLANT) report --model $(OUT)/email-uplift.json --uplift-data datasets/hillstrom.csv --campaign $(OUT)/campaign.csv \
	    --model $(OUT)/retail-cross-sell.json $(CROSS_SELL_EVALUATIONS) --actions $(OUT)/actions.csv \
	    --title "Campaigns: e-mail uplift and results, Online Retail cross-sell, Telco next-best actions" \
	    --notebook notebooks-export/campaigns.ipynb
	$(KLANT) report --models models/ --transactions $(CDNOW_LOG) --churn-data datasets/telco_churn.csv \
	    --scores $(OUT)/scores.csv --scores $(OUT)/telco_scores.csv --model $(OUT)/email-uplift.json --uplift-data datasets/hillstrom.csv \
	    --model $(OUT)/retail-cross-sell.json $(CROSS_SELL_EVALUATIONS) --actions $(OUT)/actions.csv --campaign $(OUT)/campaign.csv \
	    --title "Klant quickstart report" --html $(OUT)/report.html
	@echo "quickstart done: summary and predictions in $(OUT)/, models in models/, report in $(OUT)/report.html, notebooks in notebooks-export/, nightly rescoring in examples/nightly/out/, next-best actions in $(OUT)/actions.csv"
