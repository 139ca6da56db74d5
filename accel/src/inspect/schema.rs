//! A minimal, hand-written accessor for the parts of the TFLite flatbuffer
//! schema (`schema.fbs`, file identifier `TFL3`) that the inspector reads.
//!
//! Each table type implements [`flatbuffers::Verifiable`] (so
//! [`flatbuffers::root`] checks every offset, vtable and vector bound before
//! anything is read) and [`flatbuffers::Follow`] (so verified data can be
//! read). Field slots are the schema's vtable offsets: `4 + 2 * field_index`.

use flatbuffers::{
    Follow, ForwardsUOffset, InvalidFlatbuffer, Table, VOffsetT, Vector, Verifiable, Verifier,
};

/// Declares a table wrapper type with a `Follow` impl.
macro_rules! table {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub(crate) struct $name<'a> {
            // Read by the accessors; tables verified only as tables (option
            // unions) have none.
            #[allow(dead_code)]
            tab: Table<'a>,
        }

        impl<'a> Follow<'a> for $name<'a> {
            type Inner = $name<'a>;
            unsafe fn follow(buf: &'a [u8], loc: usize) -> Self::Inner {
                // SAFETY: the caller upholds `Follow::follow`'s contract
                // (`buf[loc..]` holds a verified table of this type).
                $name { tab: unsafe { Table::new(buf, loc) } }
            }
        }
    };
}

/// Reads a field of a table that [`flatbuffers::root`] verified.
macro_rules! field {
    ($self:ident, $ty:ty, $slot:expr, $default:expr) => {
        // SAFETY: every table reachable from the root was verified by
        // `flatbuffers::root` (see `Verifiable` below) with this field's
        // type at this slot, so the read stays inside the buffer.
        unsafe { $self.tab.get::<$ty>($slot, $default) }
    };
}

type Strs<'a> = ForwardsUOffset<&'a str>;
type Ints<'a> = ForwardsUOffset<Vector<'a, i32>>;
type Tables<'a, T> = ForwardsUOffset<Vector<'a, ForwardsUOffset<T>>>;

table!(
    /// `table Model`.
    Model
);
table!(
    /// `table OperatorCode`.
    OperatorCode
);
table!(
    /// `table SubGraph`.
    SubGraph
);
table!(
    /// `table Operator`.
    Operator
);
table!(
    /// `table Tensor`.
    Tensor
);
table!(
    /// `table Buffer`.
    Buffer
);
table!(
    /// `table QuantizationParameters`.
    Quantization
);
table!(
    /// Any table, verified only as a table (used for option unions whose
    /// contents the inspector does not read).
    AnyTable
);

impl<'a> Model<'a> {
    const VERSION: VOffsetT = 4;
    const OPERATOR_CODES: VOffsetT = 6;
    const SUBGRAPHS: VOffsetT = 8;
    const DESCRIPTION: VOffsetT = 10;
    const BUFFERS: VOffsetT = 12;
    const METADATA_BUFFER: VOffsetT = 14;

    pub(crate) fn version(&self) -> u32 {
        field!(self, u32, Self::VERSION, Some(0)).unwrap_or(0)
    }
    pub(crate) fn operator_codes(&self) -> Option<Vector<'a, ForwardsUOffset<OperatorCode<'a>>>> {
        field!(
            self,
            Tables<'a, OperatorCode<'a>>,
            Self::OPERATOR_CODES,
            None
        )
    }
    pub(crate) fn subgraphs(&self) -> Option<Vector<'a, ForwardsUOffset<SubGraph<'a>>>> {
        field!(self, Tables<'a, SubGraph<'a>>, Self::SUBGRAPHS, None)
    }
    pub(crate) fn description(&self) -> Option<&'a str> {
        field!(self, Strs<'a>, Self::DESCRIPTION, None)
    }
    pub(crate) fn buffers(&self) -> Option<Vector<'a, ForwardsUOffset<Buffer<'a>>>> {
        field!(self, Tables<'a, Buffer<'a>>, Self::BUFFERS, None)
    }
}

impl Verifiable for Model<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<u32>("version", Self::VERSION, false)?
            .visit_field::<Tables<OperatorCode>>("operator_codes", Self::OPERATOR_CODES, false)?
            .visit_field::<Tables<SubGraph>>("subgraphs", Self::SUBGRAPHS, false)?
            .visit_field::<Strs>("description", Self::DESCRIPTION, false)?
            .visit_field::<Tables<Buffer>>("buffers", Self::BUFFERS, false)?
            .visit_field::<Ints>("metadata_buffer", Self::METADATA_BUFFER, false)?
            .finish();
        Ok(())
    }
}

impl<'a> OperatorCode<'a> {
    const DEPRECATED_BUILTIN_CODE: VOffsetT = 4;
    const CUSTOM_CODE: VOffsetT = 6;
    const VERSION: VOffsetT = 8;
    const BUILTIN_CODE: VOffsetT = 10;

    /// The effective builtin code: the larger of the deprecated 8-bit field
    /// and the 32-bit field (the schema's compatibility rule).
    pub(crate) fn builtin_code(&self) -> i32 {
        let old = field!(self, i8, Self::DEPRECATED_BUILTIN_CODE, Some(0)).unwrap_or(0);
        let new = field!(self, i32, Self::BUILTIN_CODE, Some(0)).unwrap_or(0);
        new.max(i32::from(old))
    }
    pub(crate) fn custom_code(&self) -> Option<&'a str> {
        field!(self, Strs<'a>, Self::CUSTOM_CODE, None)
    }
}

impl Verifiable for OperatorCode<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<i8>(
                "deprecated_builtin_code",
                Self::DEPRECATED_BUILTIN_CODE,
                false,
            )?
            .visit_field::<Strs>("custom_code", Self::CUSTOM_CODE, false)?
            .visit_field::<i32>("version", Self::VERSION, false)?
            .visit_field::<i32>("builtin_code", Self::BUILTIN_CODE, false)?
            .finish();
        Ok(())
    }
}

impl<'a> SubGraph<'a> {
    const TENSORS: VOffsetT = 4;
    const INPUTS: VOffsetT = 6;
    const OUTPUTS: VOffsetT = 8;
    const OPERATORS: VOffsetT = 10;
    const NAME: VOffsetT = 12;

    pub(crate) fn tensors(&self) -> Option<Vector<'a, ForwardsUOffset<Tensor<'a>>>> {
        field!(self, Tables<'a, Tensor<'a>>, Self::TENSORS, None)
    }
    pub(crate) fn inputs(&self) -> Option<Vector<'a, i32>> {
        field!(self, Ints<'a>, Self::INPUTS, None)
    }
    pub(crate) fn outputs(&self) -> Option<Vector<'a, i32>> {
        field!(self, Ints<'a>, Self::OUTPUTS, None)
    }
    pub(crate) fn operators(&self) -> Option<Vector<'a, ForwardsUOffset<Operator<'a>>>> {
        field!(self, Tables<'a, Operator<'a>>, Self::OPERATORS, None)
    }
}

impl Verifiable for SubGraph<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Tables<Tensor>>("tensors", Self::TENSORS, false)?
            .visit_field::<Ints>("inputs", Self::INPUTS, false)?
            .visit_field::<Ints>("outputs", Self::OUTPUTS, false)?
            .visit_field::<Tables<Operator>>("operators", Self::OPERATORS, false)?
            .visit_field::<Strs>("name", Self::NAME, false)?
            .finish();
        Ok(())
    }
}

impl<'a> Operator<'a> {
    const OPCODE_INDEX: VOffsetT = 4;
    const INPUTS: VOffsetT = 6;
    const OUTPUTS: VOffsetT = 8;
    const BUILTIN_OPTIONS_TYPE: VOffsetT = 10;
    const BUILTIN_OPTIONS: VOffsetT = 12;
    const CUSTOM_OPTIONS: VOffsetT = 14;
    const MUTATING_VARIABLE_INPUTS: VOffsetT = 18;
    const INTERMEDIATES: VOffsetT = 20;

    pub(crate) fn opcode_index(&self) -> u32 {
        field!(self, u32, Self::OPCODE_INDEX, Some(0)).unwrap_or(0)
    }
    pub(crate) fn inputs(&self) -> Option<Vector<'a, i32>> {
        field!(self, Ints<'a>, Self::INPUTS, None)
    }
    pub(crate) fn outputs(&self) -> Option<Vector<'a, i32>> {
        field!(self, Ints<'a>, Self::OUTPUTS, None)
    }
}

impl Verifiable for Operator<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<u32>("opcode_index", Self::OPCODE_INDEX, false)?
            .visit_field::<Ints>("inputs", Self::INPUTS, false)?
            .visit_field::<Ints>("outputs", Self::OUTPUTS, false)?
            .visit_union::<u8, _>(
                "builtin_options_type",
                Self::BUILTIN_OPTIONS_TYPE,
                "builtin_options",
                Self::BUILTIN_OPTIONS,
                false,
                |_key, v, pos| {
                    v.verify_union_variant::<ForwardsUOffset<AnyTable>>("BuiltinOptions", pos)
                },
            )?
            .visit_field::<ForwardsUOffset<Vector<u8>>>(
                "custom_options",
                Self::CUSTOM_OPTIONS,
                false,
            )?
            .visit_field::<ForwardsUOffset<Vector<bool>>>(
                "mutating_variable_inputs",
                Self::MUTATING_VARIABLE_INPUTS,
                false,
            )?
            .visit_field::<Ints>("intermediates", Self::INTERMEDIATES, false)?
            .finish();
        Ok(())
    }
}

impl<'a> Tensor<'a> {
    const SHAPE: VOffsetT = 4;
    const TYPE: VOffsetT = 6;
    const BUFFER: VOffsetT = 8;
    const NAME: VOffsetT = 10;
    const QUANTIZATION: VOffsetT = 12;
    const IS_VARIABLE: VOffsetT = 14;
    const SHAPE_SIGNATURE: VOffsetT = 18;

    pub(crate) fn shape(&self) -> Option<Vector<'a, i32>> {
        field!(self, Ints<'a>, Self::SHAPE, None)
    }
    pub(crate) fn tensor_type(&self) -> i8 {
        field!(self, i8, Self::TYPE, Some(0)).unwrap_or(0)
    }
    pub(crate) fn buffer(&self) -> u32 {
        field!(self, u32, Self::BUFFER, Some(0)).unwrap_or(0)
    }
    pub(crate) fn name(&self) -> Option<&'a str> {
        field!(self, Strs<'a>, Self::NAME, None)
    }
    pub(crate) fn quantization(&self) -> Option<Quantization<'a>> {
        field!(
            self,
            ForwardsUOffset<Quantization<'a>>,
            Self::QUANTIZATION,
            None
        )
    }
}

impl Verifiable for Tensor<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<Ints>("shape", Self::SHAPE, false)?
            .visit_field::<i8>("type", Self::TYPE, false)?
            .visit_field::<u32>("buffer", Self::BUFFER, false)?
            .visit_field::<Strs>("name", Self::NAME, false)?
            .visit_field::<ForwardsUOffset<Quantization>>(
                "quantization",
                Self::QUANTIZATION,
                false,
            )?
            .visit_field::<bool>("is_variable", Self::IS_VARIABLE, false)?
            .visit_field::<Ints>("shape_signature", Self::SHAPE_SIGNATURE, false)?
            .finish();
        Ok(())
    }
}

impl<'a> Quantization<'a> {
    const MIN: VOffsetT = 4;
    const MAX: VOffsetT = 6;
    const SCALE: VOffsetT = 8;
    const ZERO_POINT: VOffsetT = 10;

    pub(crate) fn scale(&self) -> Option<Vector<'a, f32>> {
        field!(self, ForwardsUOffset<Vector<'a, f32>>, Self::SCALE, None)
    }
    pub(crate) fn zero_point(&self) -> Option<Vector<'a, i64>> {
        field!(
            self,
            ForwardsUOffset<Vector<'a, i64>>,
            Self::ZERO_POINT,
            None
        )
    }
}

impl Verifiable for Quantization<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<Vector<f32>>>("min", Self::MIN, false)?
            .visit_field::<ForwardsUOffset<Vector<f32>>>("max", Self::MAX, false)?
            .visit_field::<ForwardsUOffset<Vector<f32>>>("scale", Self::SCALE, false)?
            .visit_field::<ForwardsUOffset<Vector<i64>>>("zero_point", Self::ZERO_POINT, false)?
            .finish();
        Ok(())
    }
}

impl<'a> Buffer<'a> {
    const DATA: VOffsetT = 4;
    const OFFSET: VOffsetT = 6;
    const SIZE: VOffsetT = 8;

    /// Offset of data stored outside the flatbuffer (models over 2 GiB); 0
    /// when unused.
    pub(crate) fn external_offset(&self) -> u64 {
        field!(self, u64, Self::OFFSET, Some(0)).unwrap_or(0)
    }
    pub(crate) fn external_size(&self) -> u64 {
        field!(self, u64, Self::SIZE, Some(0)).unwrap_or(0)
    }
}

impl Verifiable for Buffer<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<Vector<u8>>>("data", Self::DATA, false)?
            .visit_field::<u64>("offset", Self::OFFSET, false)?
            .visit_field::<u64>("size", Self::SIZE, false)?
            .finish();
        Ok(())
    }
}

impl Verifiable for AnyTable<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?.finish();
        Ok(())
    }
}
