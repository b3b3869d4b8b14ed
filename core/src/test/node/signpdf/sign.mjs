// node-signpdf signs a PDF as its README shows: plainAddPlaceholder appends an incremental update written by hand
// (a /Sig dictionary, an invisible widget, the page and the catalog or its AcroForm), P12Signer makes the CMS.
// Usage: node sign.mjs in.pdf out.pdf key.p12 passphrase
import { readFileSync, writeFileSync } from 'node:fs';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import signpdfModule from '@signpdf/signpdf';

const signpdf = signpdfModule.default ?? signpdfModule;
const [input, output, p12, passphrase] = process.argv.slice(2);
const withPlaceholder = plainAddPlaceholder({
  pdfBuffer: readFileSync(input),
  reason: 'Approved by node-signpdf',
  contactInfo: 'signer@example.org',
  name: 'node-signpdf',
  location: 'Brussels',
});
const signer = new P12Signer(readFileSync(p12), { passphrase });
writeFileSync(output, await signpdf.sign(withPlaceholder, signer));
