/// Post-processors applied one after the other.
public struct PostProcessorSequence: PostProcessor {
    /// The post-processors, in order.
    public var processors: [any PostProcessor]

    /// A sequence of `processors`.
    public init(_ processors: [any PostProcessor]) { self.processors = processors }

    public func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        processors.reduce(encodings) { $1.processEncodings($0, addSpecialTokens: addSpecialTokens) }
    }

    public func addedTokenCount(isPair: Bool) -> Int { processors.reduce(0) { $0 + $1.addedTokenCount(isPair: isPair) } }
}
