import Foundation
import TextProcessing
import XCTest

/// Every normalizer and pre-tokenizer configuration agrees with Hugging Face `tokenizers`
/// on every golden input: all lines of `corpora-samples/` and the adversarial strings.
final class OracleAgreementTests: XCTestCase {
    func testEveryConfigurationAgreesWithTheOracle() throws {
        let goldens = try OracleGoldens.load()
        XCTAssertFalse(goldens.configurations.isEmpty)
        XCTAssertFalse(goldens.inputs.isEmpty)
        let failures = Mutex<[String]>([])
        let configurations = goldens.configurations
        DispatchQueue.concurrentPerform(iterations: configurations.count) { index in
            let problems = Self.check(configurations[index], goldens)
            failures.withLock { $0.append(contentsOf: problems) }
        }
        let all = failures.withLock { $0 }
        XCTAssertTrue(all.isEmpty, "\(all.count) disagreements with the oracle:\n" + all.prefix(40).joined(separator: "\n"))
    }

    private static func run(_ configuration: OracleGoldens.Configuration, _ input: String) throws -> GoldenResult {
        if configuration.isNormalizer {
            return .normalized(try ComponentDecoding.normalizer(configuration.json).normalize(input))
        }
        let pieces = try ComponentDecoding.preTokenizer(configuration.json).preTokenize(input)
        return .pieces(pieces.map { ($0.text, $0.offsets.lowerBound, $0.offsets.upperBound) })
    }

    private static func check(_ configuration: OracleGoldens.Configuration, _ goldens: OracleGoldens) -> [String] {
        var problems: [String] = []
        do {
            if configuration.isNormalizer {
                _ = try ComponentDecoding.normalizer(configuration.json)
            } else {
                _ = try ComponentDecoding.preTokenizer(configuration.json)
            }
            let digests = try goldens.digests(configuration)
            if digests.count != (goldens.digested + goldens.block - 1) / goldens.block {
                problems.append("\(configuration.name): \(digests.count) digests for \(goldens.digested) corpus inputs")
            }
            for (blockIndex, expected) in digests.enumerated() {
                let range = (blockIndex * goldens.block)..<min(goldens.digested, (blockIndex + 1) * goldens.block)
                let results = try range.map { try run(configuration, goldens.inputs[$0]) }
                if GoldenResult.digest(results) != expected {
                    problems.append("\(configuration.name): corpus inputs \(range) differ from the oracle; ours: "
                        + zip(range, results).map { "#\($0): \(goldens.inputs[$0].debugDescription) -> \($1)" }.joined(separator: "; "))
                }
            }
            let expected = try goldens.fullResults(configuration)
            if expected.count != goldens.inputs.count - goldens.digested {
                problems.append("\(configuration.name): \(expected.count) results for \(goldens.inputs.count - goldens.digested) inputs")
            }
            for (offset, value) in expected.enumerated() {
                let input = goldens.inputs[goldens.digested + offset]
                let ours = try run(configuration, input)
                let theirs = GoldenResult(json: value)
                if ours != theirs {
                    problems.append("\(configuration.name): \(input.debugDescription)\n  oracle: \(theirs)\n  ours:   \(ours)")
                }
            }
        } catch {
            problems.append("\(configuration.name): \(error)")
        }
        return problems
    }
}

/// A value behind a lock, for collecting results from concurrent work in tests.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
