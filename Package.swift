// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Klant",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "klant", targets: ["klant"]),
        .library(name: "KlantCore", targets: ["Linalg", "SpecialFunctions", "Optimize", "CustomerData", "Models", "Churn", "Scoring", "Responses", "Reports", "Store", "Rescore", "Actions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // PostgreSQL source and sink; only `Warehouse` and the `klant` executable depend on it (build time).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // BLAS/LAPACK through Debian's libopenblas-dev + liblapacke-dev (see ../shared/BLAS.md).
        .systemLibrary(name: "CLapack", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .target(name: "Linalg", dependencies: ["CLapack"]),
        // The likelihood loops' vector kernels: log/exp from glibc's libmvec and the BG/NBD block sums, AVX2 where the CPU has it.
        .target(name: "CVectorMath", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-fveclib=libmvec"])],
                linkerSettings: [.linkedLibrary("mvec")]),
        .target(name: "SpecialFunctions", dependencies: ["CVectorMath"]),
        .target(name: "Optimize", dependencies: ["Linalg"]),
        // zlib for .gz input (Debian's zlib1g-dev, a.k.a. libz-dev).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Linux calls Swift cannot reach: early writeback of big exports, growing mappings in place.
        .target(name: "CSystemCalls"),
        // Shortest round-trip printing of doubles for the exports (Schubfach, exact in the range it takes).
        .target(name: "CNumberFormat", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "CustomerData", dependencies: ["CZlib", "CSystemCalls", "CNumberFormat"]),
        .target(name: "Models", dependencies: ["Linalg", "SpecialFunctions", "Optimize", "CustomerData", "CVectorMath"]),
        .target(name: "Churn", dependencies: ["Linalg", "Optimize", "CustomerData", "Models"]),
        // Per-customer value: the one model loader, CLV net of costs, intervals, segments.
        .target(name: "Scoring", dependencies: ["Linalg", "SpecialFunctions", "CustomerData", "Models", "Churn", "Responses"]),
        // Response models: propensity (the churn logistic core), uplift, cross-sell, campaign evaluation.
        .target(name: "Responses", dependencies: ["Linalg", "SpecialFunctions", "CustomerData", "Churn"]),
        // Pictures: SVG charts, the HTML page, notebook export.
        .target(name: "Reports", dependencies: ["CustomerData", "Models", "Churn", "Scoring", "Responses", "Actions"]),
        .target(name: "Warehouse", dependencies: [
            "CustomerData", .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // The one state of Klant in SQLite via GRDB: versioned migrations, each feature adds its tables.
        .target(name: "Store", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // Nightly rescoring: config, ingest of daily drops, refit policy, snapshots, gates, atomic publish.
        .target(name: "Rescore", dependencies: ["CustomerData", "Models", "Scoring", "Store", "Actions", .product(name: "Yams", package: "Yams"),
                                               .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // Next-best action: catalog (YAML), rule expressions, arbitration under budgets, control groups, action list.
        .target(name: "Actions", dependencies: ["CustomerData", "Churn", "Responses", "Store", .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "klant", dependencies: [
            "Linalg", "CustomerData", "Models", "Churn", "Scoring", "Responses", "Reports", "Warehouse", "Store", "Rescore", "Actions",
            .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "KlantBenchmarks", dependencies: ["CustomerData", "Models", "Churn", "Scoring", "Linalg", "Responses", "Actions", "Store"]),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "SpecialFunctionsTests", dependencies: ["SpecialFunctions"]),
        .testTarget(name: "OptimizeTests", dependencies: ["Optimize"]),
        .testTarget(name: "CustomerDataTests", dependencies: ["CustomerData", "Models"], exclude: ["peers"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "CustomerData", "SpecialFunctions"], exclude: ["peers"]),
        .testTarget(name: "KlantCLITests", dependencies: ["klant"], exclude: ["peers"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Models", "Churn", "CustomerData", "SpecialFunctions"], exclude: ["peers", "fixtures"]),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "CustomerData", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "ChurnTests", dependencies: ["Churn", "Models", "CustomerData"], exclude: ["peers"]),
        .testTarget(name: "ResponsesTests", dependencies: ["Responses", "Churn", "CustomerData"], exclude: ["peers", "fixtures"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "RescoreTests", dependencies: ["Rescore", "Store", "CustomerData", "klant"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Responses", "Scoring", "Churn", "Models", "CustomerData", "Actions"], exclude: ["peers"]),
        .testTarget(name: "ActionsTests", dependencies: ["Actions", "Store", "CustomerData"]),
    ],
    swiftLanguageModes: [.v5]
)
