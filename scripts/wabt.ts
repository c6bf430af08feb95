/** Assembling WebAssembly text with wabt (a dev dependency, used at dev time only by the kernel generators). */

type WabtModule = {
  parseWat(
    name: string,
    text: string,
    features?: Record<string, boolean>,
  ): {
    toBinary(options: Record<string, boolean>): { buffer: Uint8Array };
    destroy(): void;
  };
};

/** The binary of the WebAssembly text `text` (named `name` in wabt's messages), with the given features. */
export async function assembleWat(name: string, text: string, features: Record<string, boolean>): Promise<Uint8Array> {
  const wabt = await (require('wabt') as () => Promise<WabtModule>)();
  const module = wabt.parseWat(name, text, features);
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
