'use strict';
// A deliberately small DOM, just enough for miniprogram-simulate (j-component + exparser) to render
// components and route events in Node. miniprogram-simulate expects a browser-like DOM (its own docs
// say "jsdom + nodejs"), but jsdom is not among the project's tools; dom.js prefers jsdom if present.
//
// Covered: element/text/fragment nodes, attributes, tree mutation, textContent/innerHTML (serialise),
// style objects, a tiny querySelectorAll (tag, #id, tag#id) and events through Node's own EventTarget
// (no bubbling through this tree: exparser does its own propagation, which is what components see).

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const FRAGMENT_NODE = 11;

function escapeText(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

class MiniNode extends EventTarget {
  constructor(nodeType, ownerDocument) {
    super();
    this.nodeType = nodeType;
    this.ownerDocument = ownerDocument;
    this.parentNode = null;
    this.childNodes = [];
  }

  get firstChild() { return this.childNodes[0] || null; }
  get lastChild() { return this.childNodes[this.childNodes.length - 1] || null; }
  get parentElement() { return this.parentNode && this.parentNode.nodeType === ELEMENT_NODE ? this.parentNode : null; }
  _sibling(delta) {
    if (!this.parentNode) return null;
    const list = this.parentNode.childNodes;
    return list[list.indexOf(this) + delta] || null;
  }
  get nextSibling() { return this._sibling(1); }
  get previousSibling() { return this._sibling(-1); }

  _detach(node) {
    if (node.parentNode) {
      const list = node.parentNode.childNodes;
      const i = list.indexOf(node);
      if (i >= 0) list.splice(i, 1);
      node.parentNode = null;
    }
  }

  insertBefore(node, ref) {
    if (node.nodeType === FRAGMENT_NODE) {
      node.childNodes.slice().forEach((child) => this.insertBefore(child, ref));
      return node;
    }
    this._detach(node);
    let i = ref ? this.childNodes.indexOf(ref) : -1;
    if (ref && i < 0) throw new Error('mini-dom: insertBefore reference is not a child');
    if (i < 0) i = this.childNodes.length;
    this.childNodes.splice(i, 0, node);
    node.parentNode = this;
    return node;
  }

  appendChild(node) { return this.insertBefore(node, null); }

  removeChild(node) {
    if (node.parentNode !== this) throw new Error('mini-dom: removeChild of a non-child');
    this._detach(node);
    return node;
  }

  replaceChild(node, old) {
    this.insertBefore(node, old);
    return this.removeChild(old);
  }

  contains(node) {
    for (let n = node; n; n = n.parentNode) if (n === this) return true;
    return false;
  }

  get textContent() {
    if (this.nodeType === TEXT_NODE) return this.data;
    return this.childNodes.map((c) => c.textContent).join('');
  }

  set textContent(value) {
    if (this.nodeType === TEXT_NODE) { this.data = String(value); return; }
    this.childNodes.slice().forEach((c) => this.removeChild(c));
    if (value !== '' && value != null) this.appendChild(this.ownerDocument.createTextNode(String(value)));
  }

  get nodeValue() { return this.nodeType === TEXT_NODE ? this.data : null; }
  set nodeValue(v) { if (this.nodeType === TEXT_NODE) this.data = String(v); }

  cloneNode(deep) {
    let copy;
    if (this.nodeType === TEXT_NODE) copy = this.ownerDocument.createTextNode(this.data);
    else if (this.nodeType === FRAGMENT_NODE) copy = this.ownerDocument.createDocumentFragment();
    else {
      copy = this.ownerDocument.createElement(this.localName);
      this.attributes.forEach((a) => copy.setAttribute(a.name, a.value));
    }
    if (deep) this.childNodes.forEach((c) => copy.appendChild(c.cloneNode(true)));
    return copy;
  }

  isEqualNode(other) {
    return !!other && serialize(this) === serialize(other);
  }
}

class MiniText extends MiniNode {
  constructor(data, doc) {
    super(TEXT_NODE, doc);
    this.data = String(data);
    this.nodeName = '#text';
  }
}

class MiniFragment extends MiniNode {
  constructor(doc) {
    super(FRAGMENT_NODE, doc);
    this.nodeName = '#document-fragment';
  }
}

class MiniElement extends MiniNode {
  constructor(tag, doc) {
    super(ELEMENT_NODE, doc);
    this.localName = String(tag).toLowerCase();
    this.tagName = this.localName.toUpperCase();
    this.nodeName = this.tagName;
    this.attributes = [];
    this.style = {};
    const el = this;
    this.classList = {
      _get() { return (el.getAttribute('class') || '').split(/\s+/).filter(Boolean); },
      contains(c) { return this._get().indexOf(c) >= 0; },
      add(c) { const l = this._get(); if (l.indexOf(c) < 0) l.push(c); el.setAttribute('class', l.join(' ')); },
      remove(c) { el.setAttribute('class', this._get().filter((x) => x !== c).join(' ')); },
    };
  }

  getAttribute(name) {
    const a = this.attributes.find((x) => x.name === name);
    return a ? a.value : null;
  }
  hasAttribute(name) { return this.getAttribute(name) !== null; }
  setAttribute(name, value) {
    const a = this.attributes.find((x) => x.name === name);
    if (a) a.value = String(value);
    else this.attributes.push({ name: String(name), value: String(value) });
  }
  removeAttribute(name) {
    this.attributes = this.attributes.filter((x) => x.name !== name);
  }

  get id() { return this.getAttribute('id') || ''; }
  set id(v) { this.setAttribute('id', v); }
  get className() { return this.getAttribute('class') || ''; }
  set className(v) { this.setAttribute('class', v); }
  get children() { return this.childNodes.filter((c) => c.nodeType === ELEMENT_NODE); }

  get innerHTML() { return this.childNodes.map(serialize).join(''); }
  set innerHTML(value) {
    // Only text content is supported (style/script bodies); markup is kept as text.
    this.textContent = value;
  }

  querySelectorAll(sel) { return querySelectorAll(this, sel); }
  querySelector(sel) { return querySelectorAll(this, sel)[0] || null; }
  getElementsByTagName(tag) { return listOf(querySelectorAll(this, String(tag))); }
}

function serialize(node) {
  if (node.nodeType === TEXT_NODE) return escapeText(node.data);
  if (node.nodeType === FRAGMENT_NODE) return node.childNodes.map(serialize).join('');
  const attrs = node.attributes.map((a) => ` ${a.name}="${escapeText(a.value).replace(/"/g, '&quot;')}"`).join('');
  return `<${node.localName}${attrs}>${node.innerHTML}</${node.localName}>`;
}

// Selectors: "tag", "#id", "tag#id" — all miniprogram-simulate itself asks for.
function querySelectorAll(root, sel) {
  const m = /^([a-zA-Z][\w-]*)?(?:#([\w-]+))?$/.exec(String(sel).trim());
  if (!m) throw new Error(`mini-dom: unsupported selector ${sel}`);
  const tag = m[1] && m[1].toLowerCase();
  const id = m[2];
  const out = [];
  (function walk(n) {
    n.childNodes.forEach((c) => {
      if (c.nodeType === ELEMENT_NODE) {
        if ((!tag || c.localName === tag) && (!id || c.id === id)) out.push(c);
        walk(c);
      }
    });
  }(root));
  return out;
}

function listOf(arr) {
  arr.item = (i) => arr[i] || null;
  return arr;
}

class MiniDocument extends MiniNode {
  constructor() {
    super(9, null);
    this.ownerDocument = this;
    this.nodeName = '#document';
    this.documentElement = this.createElement('html');
    this.head = this.createElement('head');
    this.body = this.createElement('body');
    this.documentElement.appendChild(this.head);
    this.documentElement.appendChild(this.body);
    this.childNodes.push(this.documentElement);
    this.documentElement.parentNode = this;
  }
  createElement(tag) { return new MiniElement(tag, this); }
  createTextNode(text) { return new MiniText(text, this); }
  createDocumentFragment() { return new MiniFragment(this); }
  importNode(node, deep) { return node.cloneNode(!!deep); }
  querySelectorAll(sel) { return querySelectorAll(this, sel); }
  querySelector(sel) { return querySelectorAll(this, sel)[0] || null; }
  getElementsByTagName(tag) { return listOf(querySelectorAll(this, String(tag))); }
}

function createWindow() {
  const document = new MiniDocument();
  const window = {
    document,
    Node: MiniNode,
    Element: MiniElement,
    HTMLElement: MiniElement,
    Text: MiniText,
    Event,
    CustomEvent,
    getComputedStyle: (el) => Object.assign({}, el.style),
    requestAnimationFrame: (fn) => setTimeout(fn, 16),
  };
  return window;
}

module.exports = { createWindow, MiniElement, MiniText, MiniNode };
