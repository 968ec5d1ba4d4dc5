import mammoth from 'mammoth';

/** The plain text of a DOCX document; a truncated or foreign file fails with a message naming it. */
export async function readDocxText(name: string, content: Buffer): Promise<string> {
  try {
    const { value } = await mammoth.extractRawText({ buffer: content });
    return value;
  } catch (error) {
    throw new Error(`${name} is not a readable DOCX document: ${(error as Error).message}`);
  }
}
