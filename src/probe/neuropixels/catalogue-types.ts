// The shape of ProbeInterface's Neuropixels catalogue (neuropixels_probe_features.json). Every value
// in it is text, as in the file: numbers are parsed where they are used, the way ProbeInterface does.

/** One probe part number's specification: field name -> text value (e.g. `cols_per_shank: "2"`). */
export type NeuropixelsProbeSpec = Readonly<Record<string, string>>;

/** ProbeInterface's Neuropixels catalogue, as its JSON file holds it. */
export interface NeuropixelsCatalogue {
  /** part number (`imDatPrb_pn`, e.g. "NP1000") -> its specification */
  readonly neuropixels_probes: Readonly<Record<string, NeuropixelsProbeSpec>>;
  /** IMRO formats: `<format>_elm_flds`, `<format>_hdr_flds`, ... -> text like "(channel bank ref_id ...)" */
  readonly z_imro_formats: Readonly<Record<string, string>>;
  /** ADC sampling ("mux") tables by `mux_table_format_type`: "(numAdcs,channelsPerAdc)(ch ch ...)..." */
  readonly z_mux_tables: Readonly<Record<string, string>>;
  /** IMRO type code (first field of an old-style IMRO header) -> IMRO format */
  readonly z_imro_format_type_to_imro_format: Readonly<Record<string, string>>;
  /** IMRO type code -> part number */
  readonly z_imro_format_type_to_part_number: Readonly<Record<string, string>>;
  /** the table's version */
  readonly z_meta?: Readonly<Record<string, string>>;
}
