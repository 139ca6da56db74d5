//! PQClean's portable C ("clean", what pqm4 lists as `clean`) on the board,
//! compiled by `build.rs` from the sources the host's `pqcrypto-*` crates
//! ship: ML-KEM (feature `mlkem-pqclean`) and
//! ML-DSA (feature `mldsa-pqclean`). Same workload ids as the host's
//! PQClean workloads (`pqc/<op>/pqclean/<param>`).

use alloc::boxed::Box;
use pqbench_workloads::Workload;

mod coins;
#[cfg(feature = "mldsa-pqclean")]
mod mldsa;
#[cfg(feature = "mlkem-pqclean")]
mod mlkem;

/// Constructors of the PQClean workloads of the enabled features, in list order.
pub const CTORS: &[super::Ctor] = &[
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<0>::new(&mlkem::ML_KEM_512)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<0>::new(&mlkem::ML_KEM_768)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<0>::new(&mlkem::ML_KEM_1024)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<1>::new(&mlkem::ML_KEM_512)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<1>::new(&mlkem::ML_KEM_768)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<1>::new(&mlkem::ML_KEM_1024)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<2>::new(&mlkem::ML_KEM_512)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<2>::new(&mlkem::ML_KEM_768)) },
    #[cfg(feature = "mlkem-pqclean")]
    || -> Box<dyn Workload> { Box::new(mlkem::MlKem::<2>::new(&mlkem::ML_KEM_1024)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<0>::new(&mldsa::ML_DSA_44)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<0>::new(&mldsa::ML_DSA_65)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<0>::new(&mldsa::ML_DSA_87)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<3>::new(&mldsa::ML_DSA_44)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<3>::new(&mldsa::ML_DSA_65)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<3>::new(&mldsa::ML_DSA_87)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<4>::new(&mldsa::ML_DSA_44)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<4>::new(&mldsa::ML_DSA_65)) },
    #[cfg(feature = "mldsa-pqclean")]
    || -> Box<dyn Workload> { Box::new(mldsa::MlDsa::<4>::new(&mldsa::ML_DSA_87)) },
];
