//! Non-finite numbers in pqbench's JSON outputs.
//!
//! JSON has no infinity or NaN, and `serde_json` writes all three as
//! `null`, which cannot be told apart (nor from a missing value). pqbench's
//! files (results files, `compare --json`, `gate --json`, `ab --json`)
//! write them as the strings `"inf"`, `"-inf"` and `"nan"` instead:
//! [`to_vec_pretty`] serialises any value through [`Tagged`], a serializer
//! adapter that turns every non-finite `f64`/`f32` into its string and
//! passes everything else through unchanged. Reading, [`real`] accepts a
//! number, one of the three strings, or `null` (files written before the
//! strings; read as NaN).

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{
    Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant, Serializer,
};
use std::fmt;

/// The string written for a non-finite number: `"inf"`, `"-inf"` or `"nan"`.
pub fn label(v: f64) -> &'static str {
    if v.is_nan() {
        "nan"
    } else if v > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

/// Pretty JSON of `value`, with non-finite numbers as `"inf"`, `"-inf"`,
/// `"nan"` (see the module documentation).
pub fn to_vec_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::pretty(&mut out);
    value.serialize(Tagged(&mut ser))?;
    Ok(out)
}

/// Compact JSON of `value`, non-finite numbers as in [`to_vec_pretty`].
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::new(&mut out);
    value.serialize(Tagged(&mut ser))?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `#[serde(deserialize_with = "nonfinite::real")]`: an `f64` written as a
/// number, `"inf"`, `"-inf"`, `"nan"` (also `"+inf"`, `"infinity"`,
/// `"-infinity"`, any case), or `null` (NaN: how files before the strings
/// wrote every non-finite number).
pub fn real<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(RealVisitor)
}

struct RealVisitor;

impl Visitor<'_> for RealVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, \"inf\", \"-inf\", \"nan\" or null")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
    fn visit_none<E: de::Error>(self) -> Result<f64, E> {
        Ok(f64::NAN)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.to_ascii_lowercase().as_str() {
            "inf" | "+inf" | "infinity" | "+infinity" => Ok(f64::INFINITY),
            "-inf" | "-infinity" => Ok(f64::NEG_INFINITY),
            "nan" => Ok(f64::NAN),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// A serializer adapter: non-finite floats become strings, the rest is
/// passed to the inner serializer unchanged.
pub struct Tagged<S>(pub S);

/// A value serialised through [`Tagged`].
struct Wrap<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Tagged(s))
    }
}

macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $name(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.0.$name($($arg),*)
        })*
    };
}

impl<S: Serializer> Serializer for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Tagged<S::SerializeSeq>;
    type SerializeTuple = Tagged<S::SerializeTuple>;
    type SerializeTupleStruct = Tagged<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Tagged<S::SerializeTupleVariant>;
    type SerializeMap = Tagged<S::SerializeMap>;
    type SerializeStruct = Tagged<S::SerializeStruct>;
    type SerializeStructVariant = Tagged<S::SerializeStructVariant>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.0.serialize_f32(v)
        } else {
            self.0.serialize_str(label(f64::from(v)))
        }
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.0.serialize_f64(v)
        } else {
            self.0.serialize_str(label(v))
        }
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Wrap(v))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Wrap(v))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &Wrap(v))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Tagged)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Tagged)
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Tagged)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0
            .serialize_tuple_variant(name, index, variant, len)
            .map(Tagged)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(Tagged)
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(Tagged)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0
            .serialize_struct_variant(name, index, variant, len)
            .map(Tagged)
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

impl<S: SerializeSeq> SerializeSeq for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        self.0.serialize_element(&Wrap(v))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeTuple> SerializeTuple for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        self.0.serialize_element(&Wrap(v))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeTupleStruct> SerializeTupleStruct for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        self.0.serialize_field(&Wrap(v))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeTupleVariant> SerializeTupleVariant for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        self.0.serialize_field(&Wrap(v))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeMap> SerializeMap for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), S::Error> {
        self.0.serialize_key(&Wrap(k))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        self.0.serialize_value(&Wrap(v))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeStruct> SerializeStruct for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Wrap(v))
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: SerializeStructVariant> SerializeStructVariant for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Wrap(v))
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Serialize, Debug)]
    struct Doc {
        a: f64,
        b: f64,
        c: f64,
        d: f64,
        nested: Vec<Option<f64>>,
        map: BTreeMap<String, (f32, String)>,
        #[serde(flatten)]
        extra: BTreeMap<String, f64>,
    }

    #[test]
    fn non_finite_round_trip_and_are_told_apart() {
        let doc = Doc {
            a: f64::INFINITY,
            b: f64::NEG_INFINITY,
            c: f64::NAN,
            d: 1.5,
            nested: vec![Some(f64::NAN), None, Some(-0.0), Some(f64::INFINITY)],
            map: [("k".to_string(), (f32::NEG_INFINITY, "nan".to_string()))].into(),
            extra: [("z".to_string(), f64::NEG_INFINITY)].into(),
        };
        let text = String::from_utf8(to_vec_pretty(&doc).unwrap()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["a"], "inf");
        assert_eq!(v["b"], "-inf");
        assert_eq!(v["c"], "nan");
        assert_eq!(v["d"], 1.5);
        assert_eq!(
            v["nested"],
            serde_json::json!(["nan", null, -0.0, "inf"]),
            "{text}"
        );
        assert_eq!(v["map"]["k"], serde_json::json!(["-inf", "nan"]));
        assert_eq!(v["z"], "-inf");
        // Compact form, same rule.
        assert!(to_string(&doc).unwrap().contains("\"a\":\"inf\""));
        // Back: each kind comes back as itself.
        #[derive(Deserialize)]
        struct Back {
            #[serde(deserialize_with = "real")]
            a: f64,
            #[serde(deserialize_with = "real")]
            b: f64,
            #[serde(deserialize_with = "real")]
            c: f64,
            #[serde(deserialize_with = "real")]
            d: f64,
        }
        let back: Back = serde_json::from_str(&text).unwrap();
        assert_eq!(back.a, f64::INFINITY);
        assert_eq!(back.b, f64::NEG_INFINITY);
        assert!(back.c.is_nan());
        assert_eq!(back.d, 1.5);
    }

    #[test]
    fn legacy_null_reads_as_nan_and_junk_is_refused() {
        #[derive(Deserialize)]
        struct One {
            #[serde(deserialize_with = "real")]
            x: f64,
        }
        let x = |s: &str| serde_json::from_str::<One>(s).map(|o| o.x);
        assert!(x(r#"{"x": null}"#).unwrap().is_nan());
        assert_eq!(x(r#"{"x": "-Infinity"}"#).unwrap(), f64::NEG_INFINITY);
        assert_eq!(x(r#"{"x": 3}"#).unwrap(), 3.0);
        assert!(x(r#"{"x": "fast"}"#).is_err());
        assert!(x(r#"{"x": [1]}"#).is_err());
        // Plain serde_json, for contrast, cannot tell the three apart.
        let plain = serde_json::to_string(&[f64::INFINITY, f64::NAN]).unwrap();
        assert_eq!(plain, "[null,null]");
    }

    /// A results file whose non-finite numbers survive a write and a load,
    /// each as itself; the same file with `null`s (as written before the
    /// strings) still loads.
    #[test]
    fn results_file_round_trip() {
        use crate::results::{
            BenchResult, Metric, ProcessSamples, Recording, ResultsFile, TimerInfo, Unit, load,
            parse, write_atomic,
        };
        let mut f = ResultsFile::new(crate::env::Environment::default());
        let mut r = BenchResult::measured(
            "a/b/c/d".into(),
            "host".into(),
            Unit::Ns,
            Recording::SingleOp,
            1,
            vec![ProcessSamples {
                samples: vec![10.0, 12.0, 11.0],
            }],
        )
        .unwrap();
        r.timer = Some(TimerInfo {
            overhead: f64::INFINITY,
            resolution: f64::NAN,
            ..Default::default()
        });
        r.static_metrics.insert(
            "m".into(),
            Metric {
                value: f64::NEG_INFINITY,
                unit: "bytes".into(),
            },
        );
        if let Some(s) = &mut r.summary {
            s.stddev = f64::NAN;
        }
        f.results.push(r);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        write_atomic(&path, &f).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let r0 = &v["results"][0];
        assert_eq!(r0["timer"]["overhead"], "inf");
        assert_eq!(r0["timer"]["resolution"], "nan");
        assert_eq!(r0["static_metrics"]["m"]["value"], "-inf");
        assert_eq!(r0["summary"]["stddev"], "nan");
        let back = load(&path).unwrap();
        let b0 = &back.results[0];
        let t = b0.timer.unwrap();
        assert_eq!(t.overhead, f64::INFINITY);
        assert!(t.resolution.is_nan());
        assert_eq!(b0.static_metrics["m"].value, f64::NEG_INFINITY);
        assert!(b0.summary.unwrap().stddev.is_nan());
        assert_eq!(b0.summary.unwrap().median, 11.0);
        // Legacy: null where a non-finite number was.
        let legacy = text.replace("\"inf\"", "null").replace("\"nan\"", "null");
        let old = parse(&path, &legacy).unwrap();
        assert!(old.results[0].timer.unwrap().overhead.is_nan());
    }
}
