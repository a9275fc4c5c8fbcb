extension ModelTransform {
    /// `transfer`: the model at `directory` gets `helper`'s tokenizer; every helper token the
    /// source also has copies its source row, every other the combination of the anchors'
    /// source rows by `combination` (CLP-Transfer by default, or OMP), or, when that fails or
    /// ``RowCheck`` refuses it, a seeded normal draw.
    public static func helperTransfer(directory: String, helper: HelperModel,
                                      combination: any AnchorCombination = CLPTransfer()) -> ModelTransform {
        ModelTransform(source: Source(directory: directory), change: TokenizerReplacement(.helper(helper)), initializers: [
            SharedTokenCopy(helper: helper), HelperInitializer(helper: helper, combination: combination, anchors: .copiedRows), RandomInitializer(),
        ]) { transform, _ in
            [("source", directory), ("helper", helper.directory), ("method", combination.method.label), ("seed", String(transform.seed))]
        }
    }
}
