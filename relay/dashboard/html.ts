import htm from 'htm';
import { h } from 'preact';

/** JSX-like templates without a compile step: htm's tagged templates over Preact's h(). */
export const html = htm.bind(h);
