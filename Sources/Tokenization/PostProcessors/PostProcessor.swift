/// The last stage of encoding: adds special tokens around the sequences and adjusts offsets.
public protocol PostProcessor: Sendable {
    /// Processes the encodings of the input sequences (one, or two for a pair); the
    /// result is concatenated into the final encoding. Special tokens are added only
    /// when `addSpecialTokens` is true.
    func processEncodings(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding]

    /// How many special tokens processing adds for a single sequence or a pair.
    func addedTokenCount(isPair: Bool) -> Int
}

extension PostProcessor {
    /// The final encoding of one sequence, or of a pair.
    public func process(_ first: Encoding, pair: Encoding?, addSpecialTokens: Bool) -> Encoding {
        let parts = processEncodings(pair.map { [first, $0] } ?? [first], addSpecialTokens: addSpecialTokens)
        var result = Encoding()
        for (index, part) in parts.enumerated() {
            var part = part
            if parts.count > 1 {
                part.sequenceIDs = part.sequenceIDs.map { $0 == nil ? nil : index }
            }
            result.append(contentsOf: part)
        }
        return result
    }
}
