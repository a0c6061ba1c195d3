// The part of ONNX's onnx.proto (proto2, IR version 8) that an exported inference model uses, as
// a protobufjs JSON descriptor: field numbers and types exactly as onnx/onnx.proto declares them.
// Embedded as data so the engine reads no .proto file at run time.
import { Root } from 'protobufjs/light.js'
import type { Type } from 'protobufjs/light.js'

const str = (id: number) => ({ type: 'string', id })
const int64 = (id: number) => ({ type: 'int64', id })
const int32 = (id: number) => ({ type: 'int32', id })
const many = (type: string, id: number) => ({ rule: 'repeated', type, id })

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: int64(1),
            opsetImport: many('OperatorSetIdProto', 8),
            producerName: str(2),
            producerVersion: str(3),
            domain: str(4),
            modelVersion: int64(5),
            docString: str(6),
            graph: { type: 'GraphProto', id: 7 },
            metadataProps: many('StringStringEntryProto', 14),
          },
        },
        StringStringEntryProto: { fields: { key: str(1), value: str(2) } },
        OperatorSetIdProto: { fields: { domain: str(1), version: int64(2) } },
        GraphProto: {
          fields: {
            node: many('NodeProto', 1),
            name: str(2),
            initializer: many('TensorProto', 5),
            docString: str(10),
            input: many('ValueInfoProto', 11),
            output: many('ValueInfoProto', 12),
            valueInfo: many('ValueInfoProto', 13),
          },
        },
        NodeProto: {
          fields: {
            input: many('string', 1),
            output: many('string', 2),
            name: str(3),
            opType: str(4),
            domain: str(7),
            attribute: many('AttributeProto', 5),
            docString: str(6),
          },
        },
        AttributeProto: {
          fields: {
            name: str(1),
            docString: str(13),
            type: { type: 'AttributeType', id: 20 },
            f: { type: 'float', id: 2 },
            i: int64(3),
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: many('float', 7),
            ints: many('int64', 8),
            strings: many('bytes', 9),
          },
          nested: {
            AttributeType: {
              values: { UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 },
            },
          },
        },
        TensorProto: {
          fields: {
            dims: many('int64', 1),
            dataType: int32(2),
            floatData: { ...many('float', 4), options: { packed: true } },
            int64Data: { ...many('int64', 7), options: { packed: true } },
            name: str(8),
            docString: str(12),
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: {
          fields: { name: str(1), type: { type: 'TypeProto', id: 2 }, docString: str(3) },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: { tensorType: { type: 'Tensor', id: 1 }, denotation: str(6) },
          nested: {
            Tensor: { fields: { elemType: int32(1), shape: { type: 'TensorShapeProto', id: 2 } } },
          },
        },
        TensorShapeProto: {
          fields: { dim: many('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: int64(1), dimParam: str(2), denotation: str(3) },
            },
          },
        },
      },
    },
  },
}

/** TensorProto.DataType values the export uses. */
export const ONNX_FLOAT = 1
export const ONNX_INT64 = 7

/** AttributeProto.AttributeType values. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const

let root: Root | null = null

/** The ModelProto message type (built once, on first use). */
export function modelProto(): Type {
  root ??= Root.fromJSON(descriptor)
  return root.lookupType('onnx.ModelProto')
}
