/** `@vitrina/io/text`: CSV and text files read as streams, in UTF-8 or windows-1251, bad bytes told. */
export { type CsvOptions, type CsvRecord, readCsv } from './csv.ts';
export { decodeText, type InvalidByte, readLines, type TextEncoding, type TextLine } from './text.ts';
