// What the operation batch encoder and decoder share (the format is described
// in the README, "Operation batches").

/** The batch format written and the only one read: the batch's first item. */
export const OPERATION_BATCH_FORMAT = 1;

/**
 * How deeply a value's containers may nest (the value itself is level 1):
 * the limit `encodeValue` and `decodeValue` enforce.
 */
export const VALUE_MAX_DEPTH = 100;
