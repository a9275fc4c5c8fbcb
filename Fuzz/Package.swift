// swift-tools-version: 6.0
// libFuzzer harnesses for Polytoken's readers of outside data. Build and run with `./fuzz.sh`
// (see README.md here); each harness is an executable that hands its inputs to libFuzzer's driver.
import PackageDescription

let package = Package(
    name: "PolytokenFuzz",
    dependencies: [
        .package(name: "Polytoken", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"]),
        .executableTarget(name: "FuzzJSON", dependencies: [
            "FuzzSupport", .product(name: "Support", package: "Polytoken"), .product(name: "TextProcessing", package: "Polytoken"), .product(name: "Tokenization", package: "Polytoken"),
        ]),
        .executableTarget(name: "FuzzTokenizerFiles", dependencies: [
            "FuzzSupport", .product(name: "Support", package: "Polytoken"), .product(name: "Tokenization", package: "Polytoken"),
        ]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", .product(name: "Tensors", package: "Polytoken")]),
        .executableTarget(name: "FuzzTSV", dependencies: ["FuzzSupport", .product(name: "Alignment", package: "Polytoken")]),
        .executableTarget(name: "FuzzDatasets", dependencies: ["FuzzSupport", .product(name: "Datasets", package: "Polytoken")]),
        .executableTarget(name: "FuzzCountStore", dependencies: [
            "FuzzSupport", .product(name: "Training", package: "Polytoken"), .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ]
)

// Gold fails on these links (an internal error in its DWARF reader); lld does not.
for target in package.targets where target.type == .executable {
    target.linkerSettings = [.unsafeFlags(["-use-ld=lld"])]
}
