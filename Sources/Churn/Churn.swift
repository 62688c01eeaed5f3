// Churn: logistic-regression churn models on customer tables (and on transaction summaries).
//
// How the pieces fit, in the order the CLI uses them:
//
//   klant fit churn --data telco.csv --target Churn --positive Yes --id customerID \
//                   --exclude TotalCharges --l2 1.0 --out models/telco-churn.json
//     let options = ChurnFitOptions(encoding: EncodingOptions(target: "Churn", positive: "Yes",
//                                   idColumn: "customerID", exclude: ["TotalCharges"]),
//                                   l2: 1.0)        // dropCollinear: true for --drop-collinear
//     (With an L2 penalty the duplicate Telco dummies are harmless; unpenalised they are an error
//     naming them unless dropCollinear is set.)
//     let result = try ChurnModel.train(csv: dataURL, options: options)   // CustomerTable -> FeatureEncoding
//     print(result.report)                                                 //   -> Design -> LogisticRegression
//     try result.model.write(to: outURL)                                   // versioned JSON, atomic
//
//   klant evaluate --model models/telco-churn.json --data telco.csv
//     let model = try ChurnModel.load(from: modelURL)
//     print(try model.evaluate(csv: dataURL).report)                       // ChurnEvaluation
//
//   klant predict --model models/telco-churn.json --data new.csv --out churn_scores.csv
//     let scores = try model.predict(csv: dataURL)                         // ChurnScores
//     try scores.write(to: outURL); print(scores.report)                  // CSVWriter: ids formula-safe
//
// The transaction-history form (issue 3: non-contractual customers, no churn column) works on a
// CustomerSummary with holdout columns; churned = frequency_holdout == 0:
//
//   klant fit churn --summary cdnow_summary.csv [--purchase-model models/cdnow-bgnbd.json] --out models/cdnow-churn.json
//     let bgnbd = try BetaGeometricNBD(file: ModelFile.read(from: purchaseURL))      // optional
//     let result = try ChurnModel.train(summary: summary, purchaseModel: bgnbd,
//                                       options: ChurnFitOptions(encoding: EncodingOptions(target: "unused"), l2: 1))
//     print(result.report); try result.model.write(to: outURL)
//   klant evaluate --model models/cdnow-churn.json --summary cdnow_summary.csv [--purchase-model ...]
//     print(try model.evaluate(summary: summary, purchaseModel: bgnbd).report)        // + comparison table
//   klant predict --model models/cdnow-churn.json --summary new_summary.csv [--purchase-model ...] --out scores.csv
//     try model.predict(summary: summary, purchaseModel: bgnbd).write(to: outURL)
//
// With --purchase-model at fit time the model has the p_alive feature and must be scored with the
// same purchase model (kind + parameter fingerprint are stored); without it, a purchase model given
// to evaluate only adds the logistic vs 1 - P(alive) vs blend comparison. `model.usesTransactionSummary`
// tells the CLI which input (--data or --summary) a loaded model needs.
//
// Files: CustomerData/CustomerTable.swift (CSV reader), FeatureEncoding.swift (typing, one-hot,
// blanks), LogisticRegression.swift (options, input checks, the fit's result) + LogisticSolver.swift
// (warm start on row subsamples, gradient-pass refinement, Newton/IRLS) + IRLSPass.swift (one pass:
// dsyrk on both cores) + LogisticPenalty.swift (L2 / L1 / elastic net as a layer on every step),
// Collinearity.swift, CoefficientTable.swift (statsmodels-style table), ChurnEvaluation.swift
// (AUC/DeLong, log-loss, Brier, deciles), CrossValidation.swift (+ SeededShuffling.swift), ChurnModel.swift
// (model file), ChurnTraining.swift (train / evaluate / predict), TransactionChurnFeatures.swift
// (features from a CustomerSummary, comparison with P(alive)), TransactionFeatureTransform.swift
// (stored standardisation + purchase-model reference), TransactionChurnTraining.swift (the summary
// forms of train / evaluate / predict). Every error is a ChurnError whose
// message names the column, rows or file.
