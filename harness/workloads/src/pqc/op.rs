//! A workload built from two plain functions: an untimed `setup` that turns a
//! seed into state, and a timed `run` over that state. The PQC and classical
//! families describe each (scheme, operation, implementation, parameter set)
//! as one [`OpWorkload`].

/// Builds a `Vec<Box<dyn Workload>>` from workload expressions.
macro_rules! vec_boxed {
    ($($w:expr),* $(,)?) => {{
        let v: alloc::vec::Vec<alloc::boxed::Box<dyn $crate::Workload>> =
            alloc::vec![$(alloc::boxed::Box::new($w)),*];
        v
    }};
}

/// The four RSA workloads (`rsa.sign`, `rsa.verify`, `rsa.encrypt`,
/// `rsa.decrypt`) of implementation `$imp` at key size `$label`, every one
/// set up by `$state($der, seed)`, as one `Vec<Box<dyn Workload>>`.
#[cfg(feature = "classical")]
macro_rules! rsa_workloads {
    ($imp:expr, $label:literal, $der:expr, $sizes:expr, $state:path,
     [$sign:expr, $verify:expr, $encrypt:expr, $decrypt:expr $(,)?]) => {
        vec_boxed![
            OpWorkload::new(
                ["classical", "rsa.sign", $imp, $label],
                $sizes,
                |s| $state($der, s),
                $sign
            ),
            OpWorkload::new(
                ["classical", "rsa.verify", $imp, $label],
                $sizes,
                |s| $state($der, s),
                $verify
            ),
            OpWorkload::new(
                ["classical", "rsa.encrypt", $imp, $label],
                $sizes,
                |s| $state($der, s),
                $encrypt
            ),
            OpWorkload::new(
                ["classical", "rsa.decrypt", $imp, $label],
                $sizes,
                |s| $state($der, s),
                $decrypt
            ),
        ]
    };
}

use crate::{BenchId, StaticMetric, Workload};
use alloc::vec::Vec;

/// Public key, secret key, ciphertext or signature sizes (bytes) of a scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Public (encapsulation / verifying) key size.
    pub public_key: u64,
    /// Secret (decapsulation / signing) key size as the implementation encodes it.
    pub secret_key: u64,
    /// Ciphertext size (KEMs, encryption), 0 when not applicable.
    pub ciphertext: u64,
    /// Signature size (signature schemes), 0 when not applicable.
    pub signature: u64,
    /// Shared secret size (KEMs, key agreement), 0 when not applicable.
    pub shared_secret: u64,
}

impl Sizes {
    /// The non-zero sizes as static metrics named `<what>_bytes`.
    pub fn metrics(&self) -> Vec<StaticMetric> {
        [
            ("public_key_bytes", self.public_key),
            ("secret_key_bytes", self.secret_key),
            ("ciphertext_bytes", self.ciphertext),
            ("signature_bytes", self.signature),
            ("shared_secret_bytes", self.shared_secret),
        ]
        .into_iter()
        .filter(|(_, v)| *v > 0)
        .map(|(name, value)| StaticMetric {
            name,
            value,
            unit: "bytes",
        })
        .collect()
    }
}

/// One operation of one scheme from one implementation.
pub struct OpWorkload<S: Send> {
    suite: &'static str,
    name: &'static str,
    implementation: &'static str,
    params: &'static str,
    sizes: Sizes,
    setup: fn(u64) -> S,
    run: fn(&mut S),
    state: Option<S>,
}

impl<S: Send> OpWorkload<S> {
    /// Describes an operation; nothing is built until [`Workload::setup`].
    pub fn new(id: [&'static str; 4], sizes: Sizes, setup: fn(u64) -> S, run: fn(&mut S)) -> Self {
        let [suite, name, implementation, params] = id;
        Self {
            suite,
            name,
            implementation,
            params,
            sizes,
            setup,
            run,
            state: None,
        }
    }
}

impl<S: Send> Workload for OpWorkload<S> {
    fn id(&self) -> BenchId {
        BenchId::new(self.suite, self.name, self.implementation, self.params)
    }

    fn setup(&mut self, seed: u64) {
        self.state = Some((self.setup)(seed));
    }

    /// Runs the operation; before any `setup`, sets up with seed 0 first so
    /// that a caller mistake costs a setup rather than a panic.
    fn run(&mut self) {
        let run = self.run;
        let state = self.state.get_or_insert_with(|| (self.setup)(0));
        run(state);
    }

    fn static_metrics(&self) -> Vec<StaticMetric> {
        self.sizes.metrics()
    }
}

/// Seeded ChaCha20 generator speaking `rand_core` 0.10 (the RustCrypto
/// PQC and curve crates' version), seeded exactly like [`crate::seeded_rng`].
pub fn rng10(seed: u64, stream: u64) -> rand_chacha010::ChaCha20Rng {
    use rand_core010::SeedableRng;
    let mut rng = rand_chacha010::ChaCha20Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// `N` bytes from a seeded generator.
pub fn bytes<const N: usize>(rng: &mut rand_chacha010::ChaCha20Rng) -> [u8; N] {
    use rand_core010::Rng;
    let mut out = [0u8; N];
    rng.fill_bytes(&mut out);
    out
}

/// Number of distinct messages a signing workload cycles through, so that
/// rejection-sampling schemes are timed over several messages.
pub const MESSAGES: usize = 16;

/// Length of each signed message in bytes.
pub const MESSAGE_LEN: usize = 32;
