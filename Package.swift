// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Polytoken",
    products: [
        .library(name: "Support", targets: ["Support"]),
        .library(name: "TextProcessing", targets: ["TextProcessing"]),
        .library(name: "Tokenization", targets: ["Tokenization"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Alignment", targets: ["Alignment"]),
        .library(name: "Transfer", targets: ["Transfer"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "PolytokenCLI", targets: ["PolytokenCLI"]),
        .library(name: "PolytokenC", type: .dynamic, targets: ["PolytokenC"]),
        .executable(name: "polytoken", targets: ["polytoken"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .target(
            name: "CICU",
            linkerSettings: [
                .linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata"),
            ]
        ),
        .target(
            name: "CZlib",
            linkerSettings: [.linkedLibrary("z")]
        ),
        .target(
            name: "CZstd",
            linkerSettings: [.linkedLibrary("zstd")]
        ),
        .target(
            name: "CBLAS",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(name: "CSystem"),
        .target(
            name: "Support",
            dependencies: ["CSystem"]
        ),
        .target(
            name: "TextProcessing",
            dependencies: ["CICU", "CZlib", "CZstd", "Support"],
        ),
        .target(
            name: "Tokenization",
            dependencies: ["TextProcessing", "Support", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "Training",
            dependencies: ["Support", "Store", "TextProcessing", "Tokenization"]
        ),
        .target(
            name: "Alignment",
            dependencies: ["Support", "Store", "TextProcessing", "Tokenization"]
        ),
        .target(
            name: "Tensors",
            dependencies: ["CSystem", "Support"]
        ),
        .target(
            name: "Datasets",
            dependencies: ["CSystem", "Support", "TextProcessing", "Tokenization"]
        ),
        .target(
            name: "Store",
            dependencies: ["Support", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "Transfer",
            dependencies: ["CBLAS", "Support", "TextProcessing", "Tokenization", "Training", "Alignment", "Tensors", "Store"]
        ),
        .target(
            name: "Reports",
            dependencies: ["Support", "TextProcessing", "Tokenization", "Alignment"]
        ),
        .target(
            name: "PolytokenCLI",
            dependencies: [
                "Support",
                "TextProcessing",
                "Tokenization",
                "Training",
                "Tensors",
                "Datasets",
                "Alignment",
                "Transfer",
                "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "polytoken",
            dependencies: ["PolytokenCLI"]
        ),
        .target(
            name: "PolytokenC",
            dependencies: ["Support", "Tokenization", "Datasets", "PolytokenCLI"],
            exclude: ["polytoken.h"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["polytoken", "Support", "TextProcessing", "Tensors", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SupportTests",
            dependencies: ["Support"]
        ),
        .testTarget(
            name: "TextProcessingTests",
            dependencies: ["Support", "TextProcessing", "CZlib", "CZstd"],
            exclude: ["Goldens"]
        ),
        .testTarget(
            name: "TokenizationTests",
            dependencies: ["Support", "TextProcessing", "Tokenization", "Training", "CZlib"],
            exclude: ["Goldens"]
        ),
        .testTarget(
            name: "TensorsTests",
            dependencies: ["Tensors"]
        ),
        .testTarget(
            name: "DatasetsTests",
            dependencies: ["Datasets", "Support", "TextProcessing", "Tokenization"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "AlignmentTests",
            dependencies: ["TextProcessing", "Tokenization", "Alignment"]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Support", "TextProcessing", "Tokenization", "Reports"]
        ),
        .testTarget(
            name: "TransferTests",
            dependencies: ["Support", "TextProcessing", "Tokenization", "Training", "Tensors", "Alignment", "Store", "Transfer"],
            exclude: ["Fixtures"]
        ),
    ]
)
