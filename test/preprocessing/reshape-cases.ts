// The channel reshaping and period-removal cases of the preprocessing fixtures (misc/*) and how each is built in this API.
import {
  averageAcrossDirection, depthOrder, directionalDerivative, interpolateBadChannels, removeArtifacts, silencePeriods, zeroChannelPad, type BaseRecording,
} from '../../src/index.js';
import { DIR, camelOptions, openSource } from './helpers.js';

/** The misc/ cases of the channel reshapers and period removers, with whether SpikeInterface's samples come out bit for bit. */
export const RESHAPE_CASES: [name: string, exact: boolean][] = [
  ['depth_order', true], ['depth_order_y_flip', true], ['zero_channel_pad', true], ['average_across_direction', true],
  ['directional_derivative', true], ['interpolate_bad_channels', true], ['silence_periods_zeros', true], ['remove_artifacts_linear', true],
];

/** The fixture's chain applied to its source (zero_channel_pad's source is named, as the fixture's clone). */
export async function buildReshapeCase(e: any): Promise<BaseRecording> {
  const source = await openSource(e.source_folder ? e.source_folder.replace('sources/', '') : e.source);
  const step = e.chain[0];
  const o = camelOptions<any>(step.kwargs);
  switch (step.function) {
    case 'depth_order': return depthOrder(source, o);
    case 'average_across_direction': return averageAcrossDirection(source, o);
    case 'directional_derivative': return directionalDerivative(source, o);
    case 'interpolate_bad_channels': return interpolateBadChannels(source, o.badChannelIds, o);
    case 'silence_periods': return silencePeriods(source, o);
    case 'remove_artifacts': return removeArtifacts(source, o.listTriggers, o);
    case 'zero_channel_pad':
      source.annotate({ name: 'named-source' });
      return zeroChannelPad(source, o.numChannels, o);
  }
  throw new Error(`no step ${step.function} in ${DIR}`);
}
