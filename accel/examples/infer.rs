//! Runs one inference of a `.tflite` model on a constant or ramp input and
//! prints the first output values (raw) — a quick check of a model with the
//! run-time loaded TFLite library.
//!
//! `cargo run -p pqbench-accel --example infer -- MODEL [ramp|BYTE]`

use pqbench_accel::{ElementType, Interpreter, Model, Options, TfliteLibrary};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: infer MODEL [ramp|BYTE]")?;
    let fill = args.next().unwrap_or_else(|| "ramp".into());
    let lib = TfliteLibrary::discover(None)?;
    let model = Model::from_file(&lib, std::path::Path::new(&path))?;
    print!("{}", model.info());
    let mut it = Interpreter::new(&model, Options::default())?;
    let n = it.inputs()[0].bytes;
    let input: Vec<u8> = (0..n)
        .map(|i| match fill.as_str() {
            "ramp" => (i % 256) as u8,
            b => b.parse().unwrap_or(0),
        })
        .collect();
    it.set_input_bytes(0, &input)?;
    it.invoke()?;
    println!("TFLite {}", lib.version());
    for (i, o) in it.outputs().iter().enumerate() {
        let shown = match o.dtype {
            ElementType::I8 => format!("{:?}", &it.output_i8(i)?[..o.bytes.min(8)]),
            ElementType::U8 => format!("{:?}", &it.output_u8(i)?[..o.bytes.min(8)]),
            ElementType::F32 => format!("{:?}", &it.output_f32(i)?[..(o.bytes / 4).min(8)]),
            ElementType::Other(t) => format!("(TfLiteType {t}, not shown)"),
        };
        println!("output {i} {:?} {}: {shown}", o.name, o.dtype.name());
    }
    Ok(())
}
