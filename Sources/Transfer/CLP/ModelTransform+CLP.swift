extension ModelTransform {
    /// `transfer --method clp`: the model at `directory` gets `helper`'s tokenizer; every helper
    /// token the source also has copies its source row, every other the CLP combination of the
    /// anchors' source rows (or, when its similarities sum to nearly zero, a seeded normal draw).
    public static func clpTransfer(directory: String, helper: HelperModel, weighting: CLPWeighting = .ratio) -> ModelTransform {
        ModelTransform(source: Source(directory: directory), change: TokenizerReplacement(.helper(helper)), initializers: [
            SharedTokenCopy(helper: helper), CLPInitializer(helper: helper, weighting: weighting, anchors: .copiedRows), RandomInitializer(),
        ]) { transform, _ in
            [("source", directory), ("helper", helper.directory), ("method", "clp"), ("seed", String(transform.seed))]
        }
    }
}
