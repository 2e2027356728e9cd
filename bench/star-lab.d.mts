export declare const DEFAULT_CHECKS: number;
export declare function starAddress(i: number): string;
export declare function checkedNamespaces(n: number, checks?: number): number[];
export declare function starLab(n: number, name?: string, checks?: number): string;
