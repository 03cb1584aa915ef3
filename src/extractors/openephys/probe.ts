// The Neuropixels probe of an Open Ephys stream, as OpenEphysBinaryRecordingExtractor attaches it:
// read from the experiment's settings file when it describes a Neuropixels probe for the stream,
// grouped by shank, with each channel's inter_sample_shift and the stream's saturation threshold.
import type { BaseRecording } from '../../core/index.js';
import {
  computeSaturationThresholdFromProbe,
  getNeuropixelsSampleShiftsFromProbe,
  hasNeuropixelsProbes,
  readOpenephysProbe,
} from '../../probe/neuropixels/index.js';
import { parseXml } from '../../probe/xml.js';
import type { FolderReader } from '../../store/folder-access.js';
import { readTextFile } from './text-file.js';

/**
 * Attaches the probe of stream `oeStream` ('Neuropix-PXI-100.ProbeA-AP', without the record node)
 * described by `settingsFile` (relative to `reader`), when that file exists and has a Neuropixels
 * probe for the stream; otherwise leaves the recording as it is.
 */
export async function attachOpenephysProbe(rec: BaseRecording, reader: FolderReader, settingsFile: string, oeStream: string): Promise<void> {
  if (!(await reader.exists(settingsFile))) return;
  const settings = parseXml(await readTextFile(reader, settingsFile));
  if (!hasNeuropixelsProbes(settings, oeStream)) return;
  const probe = await readOpenephysProbe(settings, { streamName: oeStream });
  if (probe.shankIds !== null) rec.setProbe(probe, { groupMode: 'by_shank' });
  else rec.setProbe(probe);
  const shifts = getNeuropixelsSampleShiftsFromProbe(probe);
  if (shifts !== null) rec.setProperty('inter_sample_shift', shifts);
  const threshold = computeSaturationThresholdFromProbe(probe, oeStream);
  if (threshold !== null) rec.annotate({ saturation_threshold_uV: threshold });
}
