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
//     try scores.write(to: outURL); print(scores.report)
//
// Files: CustomerData/CustomerTable.swift (CSV reader), FeatureEncoding.swift (typing, one-hot,
// blanks), LogisticRegression.swift + IRLSPass.swift (Newton/IRLS through dsyrk on both cores),
// Collinearity.swift, CoefficientTable.swift (statsmodels-style table), ChurnEvaluation.swift
// (AUC/DeLong, log-loss, Brier, deciles), CrossValidation.swift (+ SeededShuffling.swift), ChurnModel.swift
// (model file), ChurnTraining.swift (train / evaluate / predict), TransactionChurnFeatures.swift
// (features from a CustomerSummary, comparison with P(alive)). Every error is a ChurnError whose
// message names the column, rows or file.
