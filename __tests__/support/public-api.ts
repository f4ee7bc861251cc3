/**
 * Reads the public API from source text with the TypeScript parser alone (no type checker, so it
 * costs milliseconds): the names an index file exports, and the public members of exported classes
 * and interfaces that carry no JSDoc. Used by `__tests__/public-api.test.ts`.
 */
import * as ts from 'typescript';

/** One name an index file exports. */
export interface ExportedName {
  readonly name: string;
  /** `export { type X }` or `export type { X }`. */
  readonly typeOnly: boolean;
  /** The module specifier it is re-exported from. */
  readonly from: string;
}

function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function where(sf: ts.SourceFile, node: ts.Node): string {
  return `${sf.fileName}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
}

/**
 * The names an index file re-exports, each from an explicit list. Anything else a public index
 * could do is a problem: `export *` (the list would be whatever the files happen to export),
 * `export * as ns`, a declaration of its own, or a name exported twice.
 */
export function explicitExports(fileName: string, text: string): { names: ExportedName[]; problems: string[] } {
  const sf = parse(fileName, text);
  const names: ExportedName[] = [];
  const problems: string[] = [];
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) continue;
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) {
      problems.push(`${where(sf, statement)}: only \`export { ... } from '...'\` belongs in a public index`);
      continue;
    }
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) {
      problems.push(`${where(sf, statement)}: \`export *\` from '${from}': list the public names explicitly`);
      continue;
    }
    for (const element of clause.elements) {
      names.push({ name: element.name.text, typeOnly: statement.isTypeOnly || element.isTypeOnly, from });
    }
  }
  const seen = new Set<string>();
  for (const { name } of names) {
    if (seen.has(name)) problems.push(`${fileName}: ${name} is exported more than once`);
    seen.add(name);
  }
  return { names, problems };
}

function isPublicMember(member: ts.ClassElement | ts.TypeElement): boolean {
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  const flags = ts.getCombinedModifierFlags(member as unknown as ts.Declaration);
  return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
}

function hasJsDoc(node: ts.Node): boolean {
  return ts
    .getJSDocCommentsAndTags(node)
    .some((doc) => ts.isJSDoc(doc) && (ts.getTextOfJSDocComment(doc.comment) ?? '').trim() !== '');
}

function memberName(sf: ts.SourceFile, member: ts.ClassElement | ts.TypeElement): string {
  return member.name ? member.name.getText(sf) : ts.SyntaxKind[member.kind];
}

/**
 * `Class.member (file:line)` for every public property, accessor and method (static ones too, and
 * constructor parameter properties) of the exported classes and interfaces of one file named in
 * `publicNames` that has no JSDoc summary. A setter is covered by its getter's doc; an overloaded
 * method by its first signature's.
 */
export function undocumentedMembers(fileName: string, text: string, publicNames: ReadonlySet<string>): string[] {
  const sf = parse(fileName, text);
  const missing: string[] = [];
  for (const statement of sf.statements) {
    if (!(ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement))) continue;
    const owner = statement.name?.text;
    if (!owner || !publicNames.has(owner)) continue;
    if (!(ts.getCombinedModifierFlags(statement) & ts.ModifierFlags.Export)) continue;
    const documented = new Set<string>();
    const members: readonly (ts.ClassElement | ts.TypeElement)[] = statement.members;
    for (const member of members) {
      if (ts.isConstructorDeclaration(member)) {
        for (const param of member.parameters) {
          const flags = ts.getCombinedModifierFlags(param);
          const isProperty = flags & (ts.ModifierFlags.Public | ts.ModifierFlags.Readonly);
          if (isProperty && !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !hasJsDoc(param))
            missing.push(`${owner}.${param.name.getText(sf)} (${where(sf, param)})`);
        }
        continue;
      }
      const relevant =
        ts.isPropertyDeclaration(member) ||
        ts.isGetAccessorDeclaration(member) ||
        ts.isSetAccessorDeclaration(member) ||
        ts.isMethodDeclaration(member) ||
        ts.isPropertySignature(member) ||
        ts.isMethodSignature(member);
      if (!relevant || !isPublicMember(member)) continue;
      const name = memberName(sf, member);
      if (hasJsDoc(member)) {
        documented.add(name);
        continue;
      }
      // A setter documented by its getter, an overload implementation by its first signature.
      if (documented.has(name)) continue;
      if (
        ts.isSetAccessorDeclaration(member) &&
        members.some((m) => ts.isGetAccessorDeclaration(m) && memberName(sf, m) === name)
      )
        continue;
      missing.push(`${owner}.${name} (${where(sf, member)})`);
      documented.add(name); // report an overloaded name once
    }
  }
  return missing;
}
